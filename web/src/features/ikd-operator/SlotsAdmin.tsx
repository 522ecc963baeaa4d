/**
 * Video-call slots of the office (seed 000 steps 1–3): an operator opens slots for themselves inside the office's
 * service hours with a capacity, sees who booked them, and cancels unbooked ones. Online only: a slot is a promise
 * to residents the server must arbitrate.
 */
import { A } from '@solidjs/router';
import { For, Show, createResource, createSignal } from 'solid-js';
import type { z } from 'zod';
import type { SlotsResponse } from '../../../../schema/contracts/ikd';
import type { OfficeSettings } from '../../../../schema/contracts/offices';
import { type TimeZone, WEEKDAYS, localToMs, msToLocal } from '../../../../schema/service-time';
import { api, problemFromError } from '../../api';
import type { UiProblem } from '../../db';
import { dateTime, problemText, t } from '../../i18n';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { officeZone } from '../../zones';
import { formatDay } from '../office/hours-text';

export function SlotsAdmin() {
  const session = useSession();
  const sync = useSync();
  const tz = (): TimeZone => officeZone(session.user()?.officeCode ?? '15.71').iana;
  const [date, setDate] = createSignal(msToLocal(tz(), Date.now()).slice(0, 10));
  const [start, setStart] = createSignal('09:00');
  const [minutes, setMinutes] = createSignal('15');
  const [capacity, setCapacity] = createSignal('1');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<UiProblem>();
  const [created, setCreated] = createSignal(false);
  // The office's hours and holidays (kept by its admin on /kantor), to say what the chosen date allows.
  const [office] = createResource(
    () => (sync.online() ? session.user()?.officeCode : undefined),
    async (code) => (await api<{ office: OfficeSettings }>(`/api/offices/${code}`)).office,
  );
  const dayHours = () => {
    const o = office.latest;
    if (!o || !/^\d{4}-\d{2}-\d{2}$/.test(date())) return undefined;
    const holiday = o.holidays.find((h) => h.date === date());
    if (holiday) return t('op.slots.dayHoliday', { name: holiday.name ?? '' });
    const intervals = o.hours[WEEKDAYS[new Date(`${date()}T00:00:00Z`).getUTCDay()]!];
    return intervals?.length ? t('op.slots.dayHours', { hours: formatDay(intervals) }) : t('op.slots.dayClosed');
  };
  const [slots, { refetch }] = createResource(
    () => (sync.online() ? date() : undefined),
    (d) => api<z.infer<typeof SlotsResponse>>(`/api/ikd/slots?date=${encodeURIComponent(d)}`),
  );

  async function run(fn: () => Promise<unknown>) {
    setBusy(true);
    setProblem(undefined);
    setCreated(false);
    try {
      await fn();
      void refetch();
      return true;
    } catch (err) {
      setProblem(problemFromError(err));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function create(e: SubmitEvent) {
    e.preventDefault();
    if (!/^\d{2}:\d{2}$/.test(start())) return;
    const startsAt = localToMs(tz(), `${date()}T${start()}`);
    const endsAt = startsAt + Number(minutes()) * 60_000;
    if (await run(() => api('/api/ikd/slots', { method: 'POST', body: { startsAt, endsAt, capacity: Number(capacity()) } }))) setCreated(true);
  }

  return (
    <section data-testid="slots-admin">
      <A href="/operator/ikd" class="back">← {t('op.title')}</A>
      <h1>{t('op.slots.title')}</h1>
      <Show when={!sync.online()}><p class="note note-warn">{t('op.slots.onlineOnly')}</p></Show>
      <form class="card form" onSubmit={create} data-testid="slot-form">
        <div class="row">
          <label class="field">
            <span>{t('op.slots.date')}</span>
            <input type="date" name="date" value={date()} onInput={(e) => setDate(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('op.slots.start')}</span>
            <input type="time" name="start" value={start()} onInput={(e) => setStart(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('op.slots.minutes')}</span>
            <input type="number" name="minutes" min="10" max="240" value={minutes()} onInput={(e) => setMinutes(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('op.slots.capacity')}</span>
            <input type="number" name="capacity" min="1" max="20" value={capacity()} onInput={(e) => setCapacity(e.currentTarget.value)} />
          </label>
        </div>
        <p class="small muted" data-testid="slot-day-hours">{dayHours() ?? t('op.slots.hours')}</p>
        <Show when={problem()}>{(p) => <p class="note note-bad" role="alert" data-testid="slot-problem" data-code={p().code}>{problemText(p())}</p>}</Show>
        <Show when={created()}><p class="note" role="status" data-testid="slot-created">{t('op.slots.created')}</p></Show>
        <button class="btn btn-primary" type="submit" disabled={busy() || !sync.online()} data-testid="slot-create">{t('op.slots.create')}</button>
      </form>
      <Show when={slots()}>
        {(s) => (
          <Show when={s().slots.length > 0} fallback={<p class="muted">{t('op.slots.empty')}</p>}>
            <ul class="list" data-testid="slot-list">
              <For each={s().slots}>
                {(slot) => (
                  <li class="list-item" data-testid="slot" data-slot-id={slot.id} data-status={slot.status}>
                    <div class="row between">
                      <strong>{dateTime(slot.startsAt)} – {dateTime(slot.endsAt)}</strong>
                      <span class="muted">{slot.operatorName ?? ''}</span>
                    </div>
                    <div class="row small">
                      <span>{t('op.slots.booked', { n: slot.booked, cap: slot.capacity })}</span>
                      <Show when={slot.status === 'cancelled'}><span class="pill">{t('op.slots.cancelled')}</span></Show>
                      <Show when={slot.status === 'open' && slot.booked === 0}>
                        <button class="btn btn-quiet" type="button" disabled={busy()} onClick={() => void run(() => api(`/api/ikd/slots/${slot.id}/cancel`, { method: 'POST', body: {} }))}>
                          {t('op.slots.cancel')}
                        </button>
                      </Show>
                    </div>
                    <For each={slot.bookings}>
                      {(b) => (
                        <div class="small">
                          <A href={`/operator/ikd/${b.caseId}`}>{b.name ?? b.nikMasked}</A> <span class="mono muted">{b.nikMasked}</span> · {b.status}
                        </div>
                      )}
                    </For>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </section>
  );
}
