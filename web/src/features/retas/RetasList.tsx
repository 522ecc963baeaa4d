/** The office's RETAS events: proposals, letters, published and finished events, newest date first. */
import './messages';
import { A } from '@solidjs/router';
import { For, Show, createMemo } from 'solid-js';
import { lbl, t } from '../../i18n';
import { useSession } from '../../state/session';
import { type EventData, stateLabel, useRetasCases, wf } from './retas';

export default function RetasList() {
  const session = useSession();
  const cases = useRetasCases();
  const mine = createMemo(() => {
    const user = session.user();
    const head = session.hasRole('head_of_division', 'head_of_office', 'admin');
    return cases()
      .filter((c) => head || ((c.data as unknown as EventData).officerIds ?? []).includes(user?.id ?? ''))
      .sort((a, b) => String((b.data as unknown as EventData).date).localeCompare(String((a.data as unknown as EventData).date)));
  });
  return (
    <section>
      <div class="row between">
        <h1>{t('retas.title')}</h1>
        <Show when={session.hasRole(...wf.actions.propose.roles)}>
          <A class="btn" href="/retas/baru" data-testid="retas-new">{t('retas.new')}</A>
        </Show>
      </div>
      <p class="small"><A href="/retas/jadwal">{t('retas.publicTitle')}</A></p>
      <Show when={mine().length} fallback={<p class="muted">{t('retas.empty')}</p>}>
        <ul class="list" data-testid="retas-list">
          <For each={mine()}>
            {(c) => {
              const d = c.data as unknown as EventData;
              return (
                <li data-case={c.id} data-state={c.state}>
                  <A href={`/retas/${c.id}`}>{d.schoolName}</A>{' '}
                  <span class="muted">{t('retas.when', { date: d.date, start: d.startTime, end: d.endTime })}</span> — {lbl(stateLabel(c.state))}
                  <Show when={c.unsynced.length}> <span class="badge">{t('retas.queued')}</span></Show>
                  <Show when={c.overrun}> <span class="badge badge-bad">{t('birth.overrun')}</span></Show>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
    </section>
  );
}
