/**
 * One loop per isolate that runs rounds of follow-up work while callers keep asking: a caller that arrives while the
 * loop runs asks it for one more round instead of starting a second loop. A loop whose request was cancelled mid-round
 * (workerd drops a `waitUntil` that outlives its limit, so its `finally` never runs) would hold the isolate for
 * good; a loop that has not started a round for `staleMs` is therefore taken over by the next caller.
 */
export class RoundLoop {
  private current: { beat: number } | null = null;
  private again = false;

  constructor(
    private readonly round: () => Promise<void>,
    private readonly staleMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async run(): Promise<void> {
    if (this.current && this.now() - this.current.beat < this.staleMs) {
      this.again = true;
      return;
    }
    const mine = (this.current = { beat: this.now() });
    try {
      do {
        this.again = false;
        mine.beat = this.now();
        await this.round();
        // A loop that was taken over while it waited stops after its round: the new owner carries on.
      } while (this.again && this.current === mine);
    } finally {
      if (this.current === mine) this.current = null;
    }
  }
}
