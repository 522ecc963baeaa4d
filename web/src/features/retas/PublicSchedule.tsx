/** The public page of upcoming RETAS events (no account): school, district, date and time only, never a person. */
import './messages';
import { For, Show, createResource } from 'solid-js';
import { api } from '../../api';
import { t } from '../../i18n';

interface PublicEvent { office: string; officeName: string; school: string; district: string | null; date: string; startTime: string; endTime: string; state: string }

export default function PublicSchedule() {
  const [events] = createResource(() => api<{ events: PublicEvent[] }>('/api/retas/events').then((r) => r.events));
  return (
    <section>
      <h1>{t('retas.publicTitle')}</h1>
      <p class="muted">{t('retas.publicIntro')}</p>
      <Show when={!events.error} fallback={<p class="note note-warn">{t('retas.publicOffline')}</p>}>
        <Show when={events()} fallback={<p class="muted">{t('common.loading')}</p>}>
          {(list) => (
            <Show when={list().length} fallback={<p class="muted">{t('retas.publicEmpty')}</p>}>
              <ul class="list" data-testid="public-events">
                <For each={list()}>
                  {(e) => (
                    <li class="card">
                      <strong>{e.school}</strong> — {e.officeName}
                      <br />
                      {t('retas.when', { date: e.date, start: e.startTime, end: e.endTime })} · {t(e.state === 'recording' ? 'retas.state.recording' : 'retas.state.published')}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </Show>
    </section>
  );
}
