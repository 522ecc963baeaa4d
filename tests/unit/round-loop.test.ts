// The after-write loop's rules (worker/round-loop.ts): callers during a round get one more round, not a second loop;
// a loop whose request vanished mid-round is taken over once it has been silent for the stale time.
import { describe, expect, it } from 'vitest';
import { RoundLoop } from '../../worker/round-loop';

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
};

describe('RoundLoop', () => {
  it('callers arriving during a round share one extra round', async () => {
    const rounds: number[] = [];
    const g = gate();
    const loop = new RoundLoop(async () => {
      rounds.push(rounds.length);
      if (rounds.length === 1) await g.opened;
    });
    const first = loop.run();
    await Promise.all([loop.run(), loop.run(), loop.run()]);
    g.open();
    await first;
    expect(rounds).toEqual([0, 1]);
    await loop.run();
    expect(rounds).toEqual([0, 1, 2]);
  });

  it('a loop stuck in a round (its request cancelled) is taken over after the stale time, and stops once it wakes', async () => {
    let clock = 0;
    const log: string[] = [];
    const stuck = gate();
    const held = gate();
    let n = 0;
    const loop = new RoundLoop(
      async () => {
        const me = ++n;
        log.push(`round ${me}`);
        if (me === 1) await stuck.opened;
        if (me === 2) await held.opened;
      },
      60_000,
      () => clock,
    );
    const lost = loop.run();
    clock = 59_999;
    await loop.run();
    expect(log).toEqual(['round 1']);
    clock = 60_000;
    const taker = loop.run();
    expect(log).toEqual(['round 1', 'round 2']);
    // A write lands while both are waiting; the old loop wakes first but leaves the extra round to the new owner.
    await loop.run();
    stuck.open();
    await lost;
    expect(log).toEqual(['round 1', 'round 2']);
    held.open();
    await taker;
    expect(log).toEqual(['round 1', 'round 2', 'round 3']);
  });

  it('a round that throws ends the loop and frees it for the next caller', async () => {
    let calls = 0;
    const loop = new RoundLoop(async () => {
      calls++;
      if (calls === 1) throw new Error('D1 down');
    });
    await expect(loop.run()).rejects.toThrow('D1 down');
    await loop.run();
    expect(calls).toBe(2);
  });
});
