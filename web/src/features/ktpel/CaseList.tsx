/** KTP-el applications of the office, read from the device cache (refreshed by pull) with unsent ones on top. */
import '../../i18n/staff-screens'; // this screen's texts (registered with t() when loaded)
import { A } from '@solidjs/router';
import { For, Show, createResource, createSignal } from 'solid-js';
import { api } from '../../api';
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
        <Show when={session.hasRole(...wf.actions.hand_to_fo.roles)}>
          <A href="/ktpel/cetak" class="btn" data-testid="print-link">{t('nav.printBatch')}</A>
        </Show>
        <Show when={session.hasRole(...wf.actions.collect.roles)}>
          <A href="/ktpel/ambil" class="btn" data-testid="pickup-link">{t('nav.pickup')}</A>
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
      <Show when={session.hasRole('operator', 'admin', 'head_of_division', 'head_of_office')}>
        <BlankStock online={sync.online()} />
      </Show>
    </section>
  );
}

interface Stock {
  used: number;
  spoiled: number;
  spoiledByReason: Record<string, number>;
}

/** The office's blanks used and spoiled in the last 30 days (controlled stock, seed 001 step 4); shown when online. */
function BlankStock(props: { online: boolean }) {
  const [stock] = createResource(
    () => props.online || undefined,
    () => api<Stock>('/api/ktpel/blanks').catch(() => undefined),
  );
  return (
    <Show when={stock()}>
      {(s) => (
        <div class="card" data-testid="blank-stock">
          <h2>{t('blanks.title')}</h2>
          <dl class="facts">
            <dt>{t('blanks.used')}</dt>
            <dd data-testid="blanks-used">{s().used}</dd>
            <dt>{t('blanks.spoiled')}</dt>
            <dd data-testid="blanks-spoiled">
              {s().spoiled}
              <Show when={s().spoiled > 0}>
                {' '}({Object.entries(s().spoiledByReason).filter(([, n]) => n > 0).map(([r, n]) => `${tryT(`spoil.${r}`, r)}: ${n}`).join(', ')})
              </Show>
            </dd>
          </dl>
        </div>
      )}
    </Show>
  );
}
