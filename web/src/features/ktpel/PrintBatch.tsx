/**
 * The SIAK operator's print batch (seed 001 KTP-el steps 3–4): every card waiting to be printed, each marked printed
 * on a blank (its serial) or its blank spoiled with serial and reason, then carried to the counter. Works offline:
 * the marks go through the outbox like any SOP action; blank serials are checked once per office on the server.
 */
import '../../i18n/staff-screens'; // this screen's texts (registered with t() when loaded)
import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { dateTime, t } from '../../i18n';
import { useSync } from '../../state/sync';
import { ActionForm } from './CaseDetail';
import { useKtpelCases } from './cases';

export default function PrintBatch() {
  const sync = useSync();
  const cases = useKtpelCases();
  const queue = () => cases().filter((c) => c.state === 'printing');
  return (
    <section>
      <A href="/ktpel" class="back">← {t('common.back')}</A>
      <h1>{t('print.title')}</h1>
      <p class="muted">{t('print.intro')}</p>
      <Show when={queue().length > 0} fallback={<p class="muted" data-testid="print-empty">{t('print.empty')}</p>}>
        <ul class="list" data-testid="print-queue">
          <For each={queue()}>
            {(c) => (
              <li class="card" data-testid="print-item" data-case-id={c.id}>
                <div class="row between">
                  <A href={`/ktpel/${c.id}`} class="mono">{c.id}</A>
                  <span class="mono muted">{c.residentNikMasked ?? ''}</span>
                </div>
                <p class="small muted">
                  {dateTime(c.stepStartedAt)}
                  <Show when={Number(c.data.spoiledBlanks) > 0}> · {t('print.spoiledSoFar', { n: Number(c.data.spoiledBlanks) })}</Show>
                </p>
                <div class="actions">
                  <ActionForm c={c} action="hand_to_fo" onQueued={() => sync.changed()} />
                  <ActionForm c={c} action="spoil_blank" onQueued={() => sync.changed()} />
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
