/**
 * The admin's office settings: weekly service hours, holidays and where overdue complaints are escalated (online only, like staff accounts: every
 * standard time and slot depends on them, so two tablets must not save different versions offline).
 */
import '../../i18n/staff-screens'; // this screen's texts (registered with t() when loaded)
import { For, Index, Show, createResource, createSignal } from 'solid-js';
import { EscalationEmail, EscalationPhone, type OfficeSettings, type UpdateOfficeRequest } from '../../../../schema/contracts/offices';
import { TIME_ZONE_LABELS, type Weekday } from '../../../../schema/service-time';
import { api, problemFromError } from '../../api';
import type { UiProblem } from '../../db';
import { type MsgKey, dateTime, problemFields, problemText, t } from '../../i18n';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { formatDay, parseDay } from './hours-text';

/** Monday first, as office schedules are written. */
const DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export default function OfficePage() {
  const session = useSession();
  const sync = useSync();
  return (
    <section>
      <h1>{t('office.title')}</h1>
      <Show when={session.hasRole('admin')} fallback={<p class="note note-bad" data-access="denied">{t('office.onlyAdmin')}</p>}>
        <Show when={sync.online()} fallback={<p class="note note-warn" data-testid="office-offline">{t('office.needsOnline')}</p>}>
          <OfficeSettingsForm code={session.user()?.officeCode ?? ''} />
        </Show>
      </Show>
    </section>
  );
}

const hoursTextOf = (o: OfficeSettings) => Object.fromEntries(DAYS.map((d) => [d, formatDay(o.hours[d])])) as Record<Weekday, string>;

interface HolidayRow {
  date: string;
  name: string;
}

function OfficeSettingsForm(props: { code: string }) {
  const [office, { mutate, refetch }] = createResource(async () => (await api<{ office: OfficeSettings }>(`/api/offices/${props.code}`)).office);
  return (
    <Show when={!office.error} fallback={<p class="note note-bad">{problemText(problemFromError(office.error))} <button class="btn" onClick={() => void refetch()}>{t('common.retry')}</button></p>}>
      <Show when={office()} fallback={<p class="muted">{t('common.loading')}</p>}>
        {(o) => <Editor office={o()} onSaved={(next) => mutate(next)} />}
      </Show>
    </Show>
  );
}

function Editor(props: { office: OfficeSettings; onSaved: (o: OfficeSettings) => void }) {
  const [hoursText, setHoursText] = createSignal(hoursTextOf(props.office));
  const [holidays, setHolidays] = createSignal<HolidayRow[]>(props.office.holidays.map((h) => ({ date: h.date, name: h.name ?? '' })));
  const [escEmail, setEscEmail] = createSignal(props.office.escalation.email ?? '');
  const [escPhone, setEscPhone] = createSignal(props.office.escalation.phone ?? '');
  const [early, setEarly] = createSignal(String(props.office.retasEarlyMonths));
  let savedEarly = props.office.retasEarlyMonths;
  const [problem, setProblem] = createSignal<UiProblem>();
  const [saved, setSaved] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const fieldErr = () => problemFields(problem());
  /** The first message about a day (`hours.mon`, `hours.mon.0`, …). */
  const dayErr = (d: Weekday) => Object.entries(fieldErr()).find(([path]) => path === `hours.${d}` || path.startsWith(`hours.${d}.`))?.[1];
  const rowErr = (i: number) => Object.entries(fieldErr()).find(([path]) => path.startsWith(`holidays.${i}`))?.[1];

  // Past days stay in the list (old cases' service time is counted with them) but are folded away by default.
  const today = new Date().toISOString().slice(0, 10);
  const isPast = (date: string) => date !== '' && date < today;
  const pastCount = () => holidays().filter((h) => isPast(h.date)).length;
  const [showPast, setShowPast] = createSignal(false);
  const setDay = (d: Weekday, text: string) => setHoursText({ ...hoursText(), [d]: text });
  const setRow = (i: number, patch: Partial<HolidayRow>) => setHolidays(holidays().map((h, j) => (j === i ? { ...h, ...patch } : h)));

  async function save(e: SubmitEvent) {
    e.preventDefault();
    setSaved(false);
    const hours: Partial<Record<Weekday, [string, string][]>> = {};
    const unreadable: { path: string; message: string }[] = [];
    for (const d of DAYS) {
      const parsed = parseDay(hoursText()[d]);
      if (parsed === null) unreadable.push({ path: `hours.${d}`, message: t('office.badInterval') });
      else if (parsed.length > 0) hours[d] = parsed.map(([o, c]) => [o, c]);
    }
    // The server's own rules, checked here first so the message is in the reader's language next to the field.
    const email = escEmail().trim();
    const phone = escPhone().trim();
    if (email && !EscalationEmail.safeParse(email).success) unreadable.push({ path: 'escalation.email', message: t('office.escalationBadEmail') });
    if (phone && !EscalationPhone.safeParse(phone).success) unreadable.push({ path: 'escalation.phone', message: t('office.escalationBadPhone') });
    if (unreadable.length > 0) {
      setProblem({ code: 'validation_failed', status: 422, errors: unreadable });
      return;
    }
    // The early period is sent as typed when changed (left empty: unchanged), so the audit log names it only when it
    // changed; the server names a period outside 0–12 whole months (retas_early_months_invalid).
    const typedEarly = early().trim() === '' ? savedEarly : Number(early());
    const body: UpdateOfficeRequest = {
      hours,
      holidays: holidays().map((h) => ({ date: h.date, name: h.name.trim() })),
      escalation: { email: email || null, phone: phone || null },
      ...(typedEarly !== savedEarly ? { retasEarlyMonths: typedEarly } : {}),
    };
    setBusy(true);
    setProblem(undefined);
    try {
      const res = await api<{ office: OfficeSettings }>(`/api/offices/${props.office.code}`, { method: 'PATCH', body });
      // Show what the server holds, in the office's way of writing it (sorted dates, 08.00-12.00).
      setHoursText(hoursTextOf(res.office));
      setHolidays(res.office.holidays.map((h) => ({ date: h.date, name: h.name ?? '' })));
      setEscEmail(res.office.escalation.email ?? '');
      setEscPhone(res.office.escalation.phone ?? '');
      savedEarly = res.office.retasEarlyMonths;
      setEarly(String(savedEarly));
      setSaved(true);
      props.onSaved(res.office);
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="form" onSubmit={save} novalidate data-testid="office-form">
      <p class="muted">{t('office.lead')}</p>
      <p class="small muted">
        {props.office.name} · {t('office.zone')}: {TIME_ZONE_LABELS[props.office.timeZone]} ·{' '}
        <span data-testid="office-updated">{props.office.updatedAt ? t('office.lastChanged', { time: dateTime(props.office.updatedAt) }) : t('office.seeded')}</span>
      </p>

      <fieldset class="card">
        <legend><strong>{t('office.hours')}</strong></legend>
        <p class="small muted">{t('office.hoursHint')}</p>
        <For each={DAYS}>
          {(d) => (
            <label class="field" classList={{ 'has-error': !!dayErr(d) }}>
              <span>{t(`day.${d}` as MsgKey)}</span>
              <input name={`hours-${d}`} inputmode="numeric" autocomplete="off" placeholder={t('office.closed')} value={hoursText()[d]} onInput={(e) => setDay(d, e.currentTarget.value)} />
              <Show when={dayErr(d)}><small class="error">{dayErr(d)}</small></Show>
            </label>
          )}
        </For>
      </fieldset>

      <fieldset class="card">
        <legend><strong>{t('office.holidays')}</strong></legend>
        <p class="small muted">{t('office.holidaysHint')}</p>
        <Show when={pastCount() > 0}>
          <label class="choice">
            <input type="checkbox" data-testid="show-past" checked={showPast()} onChange={(e) => setShowPast(e.currentTarget.checked)} />
            {t('office.showPast', { n: pastCount() })}
          </label>
        </Show>
        <Show when={holidays().length > 0} fallback={<p class="muted">{t('office.noHolidays')}</p>}>
          <ul class="list" data-testid="holiday-list">
            <Index each={holidays()}>
              {(h, i) => (
                <Show when={showPast() || !isPast(h().date) || !!rowErr(i)}>
                <li class="holiday-row" classList={{ 'has-error': !!rowErr(i) }} data-testid="holiday">
                  <label class="field">
                    <span>{t('office.date')}</span>
                    <input type="date" name="holiday-date" value={h().date} onInput={(e) => setRow(i, { date: e.currentTarget.value })} />
                  </label>
                  <label class="field">
                    <span>{t('office.holidayName')}</span>
                    <input name="holiday-name" maxlength="120" value={h().name} onInput={(e) => setRow(i, { name: e.currentTarget.value })} />
                  </label>
                  <button type="button" class="btn" aria-label={`${t('office.remove')} ${h().date} ${h().name}`.trim()} onClick={() => setHolidays(holidays().filter((_, j) => j !== i))}>{t('office.remove')}</button>
                  <Show when={rowErr(i)}><small class="error">{rowErr(i)}</small></Show>
                </li>
                </Show>
              )}
            </Index>
          </ul>
        </Show>
        <button type="button" class="btn" data-testid="add-holiday" onClick={() => setHolidays([...holidays(), { date: '', name: '' }])}>{t('office.addHoliday')}</button>
      </fieldset>

      <fieldset class="card" data-testid="office-escalation">
        <legend><strong>{t('office.escalation')}</strong></legend>
        <p class="small muted" id="escalation-hint">{t('office.escalationHint')}</p>
        <label class="field" classList={{ 'has-error': !!fieldErr()['escalation.email'] }}>
          <span>{t('office.escalationEmail')}</span>
          <input name="escalation-email" type="email" inputmode="email" autocomplete="off" maxlength="254" aria-describedby="escalation-hint" value={escEmail()} onInput={(e) => setEscEmail(e.currentTarget.value)} />
          <Show when={fieldErr()['escalation.email']}><small class="error">{fieldErr()['escalation.email']}</small></Show>
        </label>
        <label class="field" classList={{ 'has-error': !!fieldErr()['escalation.phone'] }}>
          <span>{t('office.escalationPhone')}</span>
          <input name="escalation-phone" type="tel" inputmode="tel" autocomplete="off" maxlength="20" placeholder="08…" aria-describedby="escalation-hint" value={escPhone()} onInput={(e) => setEscPhone(e.currentTarget.value)} />
          <Show when={fieldErr()['escalation.phone']}><small class="error">{fieldErr()['escalation.phone']}</small></Show>
        </label>
      </fieldset>

      <fieldset class="card">
        <legend><strong>{t('office.retas')}</strong></legend>
        <label class="field" classList={{ 'has-error': problem()?.code === 'retas_early_months_invalid' }}>
          <span>{t('office.retasEarly')}</span>
          <input type="number" min="0" max="12" step="1" inputmode="numeric" data-testid="retas-early" aria-describedby="retas-early-hint" value={early()} onInput={(e) => setEarly(e.currentTarget.value)} />
          <small id="retas-early-hint" class="muted">{t('office.retasEarlyHint')}</small>
        </label>
      </fieldset>

      <Show when={problem()}>{(p) => <p class="note note-bad" role="alert" data-testid="office-problem" data-code={p().code}>{problemText(p())}</p>}</Show>
      <Show when={saved()}><p class="note" role="status" data-testid="office-saved">{t('office.saved')}</p></Show>
      <button class="btn btn-primary" type="submit" disabled={busy()} data-testid="office-save">{t('office.save')}</button>
    </form>
  );
}
