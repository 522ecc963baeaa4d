/** Video-call times of the resident's office: list the free ones, book, reschedule or cancel (online only). */
import { For, Show, createResource, createSignal } from 'solid-js';
import { problemFromError } from '../../api';
import type { UiProblem } from '../../db';
import { dateTime, problemText, t } from '../../i18n';
import { uuidv7 } from '../../sync/uuidv7';
import { type IkdMe, ikdApi } from './api';

export function Slots(props: { me: IkdMe; online: boolean; onChanged: () => void }) {
  const booking = () => props.me.case?.booking ?? null;
  const scheduled = () => props.me.case?.state === 'scheduled';
  const [picking, setPicking] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<UiProblem>();
  const wantList = () => props.online && (!scheduled() || picking());
  const [slots, { refetch }] = createResource(wantList, async (on) => (on ? ikdApi.freeSlots() : undefined));

  async function run(fn: () => Promise<unknown>) {
    setBusy(true);
    setProblem(undefined);
    try {
      await fn();
      setPicking(false);
      props.onChanged();
    } catch (err) {
      setProblem(problemFromError(err));
      void refetch();
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card" data-testid="ikd-slots">
      <h2>{t('ikd.slots.title')}</h2>
      <Show when={scheduled() && booking()}>
        {(b) => (
          <div class="note" data-testid="booking" data-slot-id={b().slotId}>
            <strong>{t('ikd.slots.booked')}:</strong> {dateTime(b().startsAt)} – {dateTime(b().endsAt)}
            <p class="small muted">{t('ikd.slots.reminder')}</p>
            <div class="row">
              <button class="btn" type="button" disabled={busy() || !props.online} onClick={() => setPicking(!picking())} data-testid="reschedule">
                {t('ikd.slots.reschedule')}
              </button>
              <button class="btn btn-danger" type="button" disabled={busy() || !props.online} onClick={() => void run(() => ikdApi.cancelBooking(uuidv7()))} data-testid="cancel-booking">
                {t('ikd.slots.cancel')}
              </button>
            </div>
          </div>
        )}
      </Show>
      <Show when={!props.online}>
        <p class="muted">{t('ikd.slots.offline')}</p>
      </Show>
      <Show when={wantList()}>
        <Show when={slots()} fallback={<p class="muted">{t('common.loading')}</p>}>
          {(list) => (
            <Show when={list().slots.some((s) => s.id !== booking()?.slotId)} fallback={<p class="muted" data-testid="no-slots">{t('ikd.slots.empty')}</p>}>
              <p class="small" data-testid="slots-pick">{t('ikd.slots.pick')}</p>
              <ul class="list" data-testid="free-slots">
                <For each={list().slots.filter((s) => s.id !== booking()?.slotId)}>
                  {(s) => (
                    <li class="list-item row between" data-testid="free-slot" data-slot-id={s.id}>
                      <span>
                        {dateTime(s.startsAt)} – {dateTime(s.endsAt)} <small class="muted">· {t('ikd.slots.free', { n: s.free })}</small>
                      </span>
                      <button class="btn btn-primary" type="button" disabled={busy()} onClick={() => void run(() => ikdApi.book(s.id, uuidv7()))} data-testid="book-slot">
                        {t('ikd.slots.book')}
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </Show>
      <Show when={problem()}>
        {(p) => <p class="note note-bad" role="alert" data-testid="slots-problem" data-code={p().code}>{problemText(p())}</p>}
      </Show>
    </div>
  );
}
