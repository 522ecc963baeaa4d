/** The birth files the user's role works on: the partner's own submissions, the office's queue by step, with flags and step times. */
import './messages'; // this screen's texts (registered with t() when loaded)
import { A } from '@solidjs/router';
import { For, Show, createMemo } from 'solid-js';
import { lbl, t } from '../../i18n';
import { useSession } from '../../state/session';
import { BatchSign } from './BatchSign';
import { stateLabel, useBirthCases, wf } from './birth';

type Flags = { late?: boolean; daysSinceBirth?: number; possibleDuplicate?: boolean };

export default function BirthList() {
  const session = useSession();
  const cases = useBirthCases();
  const sorted = createMemo(() => [...cases()].sort((a, b) => b.createdAt - a.createdAt));
  return (
    <section>
      <div class="row between">
        <h1>{t('birth.title')}</h1>
        <Show when={session.hasRole(...wf.actions.submit.roles)}>
          <A class="btn" href="/akta/baru" data-testid="birth-new">{t('birth.new')}</A>
        </Show>
      </div>
      <Show when={session.hasRole(...wf.actions.sign.roles)}>
        <BatchSign cases={sorted()} />
      </Show>
      <Show when={sorted().length} fallback={<p class="muted">{t('birth.empty')}</p>}>
        <ul class="list" data-testid="birth-list">
          <For each={sorted()}>
            {(c) => {
              const d = c.data as { child?: { name?: string; birthDate?: string }; flags?: Flags };
              return (
                <li data-case={c.id} data-state={c.state}>
                  <A href={`/akta/${c.id}`}>{d.child?.name ?? c.id}</A> <span class="muted">{d.child?.birthDate}</span> — {lbl(stateLabel(c.state))}
                  <Show when={c.unsynced.length}> <span class="badge">{t('birth.upload.waiting')}</span></Show>
                  <Show when={d.flags?.late}> <span class="badge badge-warn">{t('birth.lateFlag', { days: d.flags!.daysSinceBirth ?? 0 })}</span></Show>
                  <Show when={d.flags?.possibleDuplicate}> <span class="badge badge-warn">{t('birth.duplicateFlag')}</span></Show>
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
