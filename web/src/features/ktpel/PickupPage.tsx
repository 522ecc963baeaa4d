/**
 * KTP-el pickup at the counter (seed 001 KTP-el step 5): the front office scans the resident's receipt QR (camera,
 * or a photo of it), the server checks it (genuine, this office's, card ready, not collected before), then the card
 * is handed over and the case closed. Online only: whether a receipt was already used is known only to the server.
 */
import '../../i18n/staff-screens'; // this screen's texts (registered with t() when loaded)
import { A } from '@solidjs/router';
import { Show, createSignal } from 'solid-js';
import { uuid7 } from '../../../../schema/ids';
import type { CommandResult } from '../../../../schema/contracts/sync';
import { api, problemFromError } from '../../api';
import { dateTime, problemText, t } from '../../i18n';
import { Scanner } from '../../scanner/Scanner';
import { useSync } from '../../state/sync';
import { upsertCase } from '../../sync/engine';
import type { CaseView, UiProblem } from '../../db';

interface Checked {
  receipt: { number: string; name: string; nikMasked: string; acceptedAt: number; format: 'compact' | 'jwt' };
  case: CaseView;
}

export default function PickupPage() {
  const sync = useSync();
  const [run, setRun] = createSignal(1);
  const [busy, setBusy] = createSignal(false);
  const [qr, setQr] = createSignal<string>();
  const [checked, setChecked] = createSignal<Checked>();
  const [problem, setProblem] = createSignal<UiProblem>();
  const [done, setDone] = createSignal(false);
  // One command id per hand-over, so a retry after a lost answer is answered "duplicate", never applied twice.
  let commandId = uuid7();

  function again() {
    setQr(undefined);
    setChecked(undefined);
    setProblem(undefined);
    setDone(false);
    commandId = uuid7();
    setRun(run() + 1);
  }

  async function onBytes(bytes: Uint8Array) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      setProblem({ code: 'receipt_invalid', status: 422, title: t('pickup.notQr') });
      return;
    }
    setQr(text);
    setBusy(true);
    try {
      setChecked(await api<Checked>('/api/ktpel/pickup/check', { method: 'POST', body: { qr: text } }));
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  async function handOver() {
    const text = qr();
    if (!text) return;
    setBusy(true);
    try {
      const { result } = await api<{ result: CommandResult }>('/api/ktpel/pickup', { method: 'POST', body: { qr: text, commandId } });
      if (result.case) await upsertCase(result.case);
      if (result.status === 'applied' || result.status === 'duplicate') {
        setDone(true);
        sync.changed();
      } else setProblem((result.problem as UiProblem | undefined) ?? { code: 'rejected', status: 409, title: result.status });
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <A href="/ktpel" class="back">← {t('common.back')}</A>
      <h1>{t('pickup.title')}</h1>
      <p class="muted">{t('pickup.intro')}</p>
      <Show when={!sync.online()}>
        <p class="note" role="status">{t('pickup.needsOnline')}</p>
      </Show>

      <Show when={!qr()}>
        <Show when={run()} keyed>
          {(_run: number) => <Scanner onBytes={(b) => void onBytes(b)} />}
        </Show>
      </Show>
      <Show when={busy()}>
        <p class="muted" role="status">{t('pickup.checking')}</p>
      </Show>

      <Show when={problem()}>
        {(p) => (
          <div class="card" data-testid="pickup-refused" data-code={p().code}>
            <p class="note note-bad" role="alert"><strong>{t('pickup.refused')}:</strong> {problemText(p())}</p>
            <button class="btn" type="button" onClick={again}>{t('pickup.again')}</button>
          </div>
        )}
      </Show>

      <Show when={!problem() && checked()}>
        {(c) => (
          <div class="card" data-testid="pickup-checked">
            <Show when={!done()} fallback={<p class="note note-good" role="status" data-testid="pickup-done">{t('pickup.done')}</p>}>
              <p class="note note-good"><strong>{t('pickup.ok')}</strong></p>
            </Show>
            <dl class="facts">
              <dt>{t('receipt.number')}</dt>
              <dd class="mono"><A href={`/ktpel/${c().receipt.number}`}>{c().receipt.number}</A></dd>
              <dt>{t('receipt.name')}</dt>
              <dd data-testid="pickup-name">{c().receipt.name}</dd>
              <dt>{t('receipt.nik')}</dt>
              <dd class="mono">{c().receipt.nikMasked}</dd>
              <dt>{t('receipt.acceptedAt')}</dt>
              <dd>{dateTime(c().receipt.acceptedAt)}</dd>
            </dl>
            <div class="row">
              <Show when={!done()}>
                <button class="btn btn-primary" type="button" disabled={busy()} onClick={() => void handOver()} data-testid="pickup-hand-over">{t('pickup.handOver')}</button>
              </Show>
              <button class="btn" type="button" onClick={again}>{t('pickup.again')}</button>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}
