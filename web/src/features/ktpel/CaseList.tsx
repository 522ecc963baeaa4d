/** KTP-el applications of the office, read from the device cache (refreshed by pull) with unsent ones on top. */
import { A } from '@solidjs/router';
import { For, Show, createSignal } from 'solid-js';
import { dateTime, duration, lbl, ago, t, tryT } from '../../i18n';
import { createNow } from '../../state/live';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { CaseBadges } from './CaseBadges';
import { isFinal, stateLabel, stepClock, useKtpelCases, wf } from './cases';

export function CaseList() {
  const session = useSession();
  const sync = useSync();
  const cases = useKtpelCases();
  const now = createNow();
  const [showAll, setShowAll] = createSignal(false);
  const shown = () => cases().filter((c) => showAll() || !isFinal(c));
  const canSubmit = () => session.hasRole(...wf.actions.submit.roles);

  return (
    <section>
      <div class="row between">
        <h1>{t('ktpel.title')}</h1>
        <Show when={canSubmit()}>
          <A href="/ktpel/new" class="btn btn-primary" data-testid="new-application">{t('ktpel.new')}</A>
        </Show>
      </div>
      <div class="row">
        <div class="seg" role="group">
          <button class={`btn ${showAll() ? '' : 'is-on'}`} aria-pressed={!showAll()} onClick={() => setShowAll(false)}>{t('ktpel.filterActive')}</button>
          <button class={`btn ${showAll() ? 'is-on' : ''}`} aria-pressed={showAll()} onClick={() => setShowAll(true)}>{t('ktpel.filterAll')}</button>
        </div>
        <span class="muted">
          {t('ktpel.count', { n: shown().length })}
          <Show when={sync.state()?.lastSyncAt}>{(at) => <> · {t('ktpel.lastSync', { time: ago(at(), now()) })}</>}</Show>
        </span>
      </div>
      <Show when={shown().length > 0} fallback={<p class="muted">{t('ktpel.empty')}</p>}>
        <ul class="list" data-testid="case-list">
          <For each={shown()}>
            {(c) => {
              const clock = () => stepClock(c, now());
              return (
                <li>
                  <A href={`/ktpel/${c.id}`} class="list-item" data-testid="case-item" data-case-id={c.id}>
                    <div class="row between">
                      <strong>{lbl(stateLabel(c.state))}</strong>
                      <span class="mono muted">{c.residentNikMasked ?? ''}</span>
                    </div>
                    <div class="row small">
                      <span>{typeof c.data.reason === 'string' ? tryT(`reason.${c.data.reason}`, c.data.reason) : ''}</span>
                      <span class="muted">{dateTime(c.createdAt)}</span>
                      <Show when={clock().kind === 'left'}>
                        <span class="muted">{t('case.timeLeft')}: {duration((clock() as { ms: number }).ms)}</span>
                      </Show>
                      <CaseBadges c={c} overrun={clock().kind === 'overrun'} />
                    </div>
                  </A>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
    </section>
  );
}
