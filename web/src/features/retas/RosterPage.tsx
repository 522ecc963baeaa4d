/**
 * The field officer's tablet at the school (seed 001 RETAS step 5), fully offline for the whole day: the school's
 * list imported from CSV (papaparse, loaded only here) or students added on the spot, eligibility by the recording
 * date, a status per student with its time, kept in IndexedDB and sent exactly once when a connection comes; a
 * student another tablet recorded first shows as a conflict with both records, for the officer to settle.
 */
import './messages';
import { A, useParams } from '@solidjs/router';
import { For, Show, createMemo, createSignal, onCleanup, onMount } from 'solid-js';
import { MARK_STATUSES, type RowProblem, Student, retasEligibility, rowsToStudents } from '../../../../schema/retas/roster';
import { db, type RetasMarkRow, type RetasStudentRow } from '../../db';
import { dateTime, problemText, t } from '../../i18n';
import { createLive } from '../../state/live';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { latestByStudent, registryFlag } from './roster-logic';
import { addStudents, adoptTheirs, markStudent, matchRoster, syncRoster } from './roster-store';
import { type EventData, useRetasCases } from './retas';

const OPEN_STATES = new Set(['published', 'recording']);
const SYNC_EVERY_MS = 10_000;
const statusText = (s: string) => t(`roster.status.${s}` as 'roster.status.none');

export default function RosterPage() {
  const params = useParams<{ id: string }>();
  const session = useSession();
  const sync = useSync();
  const cases = useRetasCases();
  const c = createMemo(() => cases().find((x) => x.id === params.id));
  const d = () => (c()?.data ?? {}) as unknown as EventData;
  const students = createLive(() => db.retasStudents.where('caseId').equals(params.id).toArray(), [] as RetasStudentRow[]);
  const marks = createLive(() => db.retasMarks.where('caseId').equals(params.id).toArray(), [] as RetasMarkRow[]);
  const latest = createMemo(() => latestByStudent(marks()));
  const pending = createMemo(() => marks().filter((m) => m.state === 'pending').length);
  const [query, setQuery] = createSignal('');
  const [imported, setImported] = createSignal<{ n: number; problems: RowProblem[] }>();
  const [notes, setNotes] = createSignal<Record<string, string>>({});
  const [rowProblem, setRowProblem] = createSignal<{ key: string; text: string }>();
  const [syncProblem, setSyncProblem] = createSignal<string>();
  const [add, setAdd] = createSignal({ name: '', birthDate: '', nisn: '', className: '', nik: '' });
  const [addProblem, setAddProblem] = createSignal<string>();
  const onLetter = () => (d().officerIds ?? []).includes(session.user()?.id ?? '');

  const eligibility = (s: RetasStudentRow) => retasEligibility(s.student.birthDate, d().date, d().earlyMonths ?? 0);
  const shown = createMemo(() => {
    const q = query().trim().toLowerCase();
    const list = [...students()].sort((a, b) => a.student.name.localeCompare(b.student.name));
    return q ? list.filter((s) => s.student.name.toLowerCase().includes(q) || (s.student.nisn ?? '').includes(q)) : list;
  });
  const eligibleCount = createMemo(() => students().filter((s) => eligibility(s).eligible).length);

  let syncing = false;
  async function sendNow() {
    // Students whose NIK waits for the registry are matched whenever a connection is there, marks or not.
    if (navigator.onLine && students().some((s) => registryFlag(s) === 'later')) void matchRoster(params.id);
    if (syncing || !navigator.onLine || !pending()) return;
    syncing = true;
    try {
      const r = await syncRoster(params.id);
      setSyncProblem(r.outcome === 'refused' && r.problem ? problemText(r.problem) : undefined);
    } finally {
      syncing = false;
    }
  }
  onMount(() => {
    const timer = setInterval(() => void sendNow(), SYNC_EVERY_MS);
    const online = () => void sendNow();
    window.addEventListener('online', online);
    void sendNow();
    onCleanup(() => {
      clearInterval(timer);
      window.removeEventListener('online', online);
    });
  });

  async function importCsv(e: Event & { currentTarget: HTMLInputElement }) {
    // The element now: after an await the event's currentTarget is gone (null).
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    // papaparse only on this screen: the rest of the app never loads it.
    const Papa = (await import('papaparse')).default;
    const parsed = Papa.parse<Record<string, string>>(await file.text(), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
    const { students: list, problems } = rowsToStudents(parsed.data);
    const n = list.length ? await addStudents(params.id, list, 'csv') : 0;
    setImported({ n, problems });
    input.value = '';
    void matchRoster(params.id);
  }

  async function addOne(e: SubmitEvent) {
    e.preventDefault();
    const a = add();
    const parsed = Student.safeParse({ name: a.name.trim(), birthDate: a.birthDate, ...(a.nisn.trim() ? { nisn: a.nisn.trim() } : {}), ...(a.className.trim() ? { className: a.className.trim() } : {}), ...(a.nik.trim() ? { nik: a.nik.replace(/[\s.]/g, '') } : {}) });
    if (!parsed.success) {
      setAddProblem(`${t('form.invalid')} ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      return;
    }
    setAddProblem(undefined);
    await addStudents(params.id, [parsed.data], 'manual');
    setAdd({ name: '', birthDate: '', nisn: '', className: '', nik: '' });
    void matchRoster(params.id);
  }

  async function tap(s: RetasStudentRow, status: RetasMarkRow['status']) {
    const user = session.user();
    if (!user) return;
    const note = (notes()[s.studentKey] ?? '').trim();
    if (status === 'problem' && note.length < 3) {
      setRowProblem({ key: s.studentKey, text: t('roster.noteNeeded') });
      return;
    }
    setRowProblem(undefined);
    await markStudent(params.id, s, status, status === 'problem' ? note : undefined, user.id);
    void sendNow();
  }

  return (
    <section>
      <A href={`/retas/${params.id}`} class="back">← {t('common.back')}</A>
      <h1>{t('roster.title')}</h1>
      <Show when={c()} fallback={<p class="muted">{t('roster.unknownEvent')}</p>}>
        <p>
          <strong>{d().schoolName}</strong> · {t('retas.when', { date: d().date, start: d().startTime, end: d().endTime })}
        </p>
        <Show when={onLetter()} fallback={<p class="note note-warn">{t('roster.notOnLetter')}</p>}>
          <Show when={OPEN_STATES.has(c()!.state)} fallback={<p class="note note-warn">{t('roster.notOpen')}</p>}>
            <p class="muted small">{t('roster.offlineNote')}</p>
            <div class="row between" data-testid="roster-sync">
              <span data-testid="pending" data-count={pending()}>{pending() ? t('roster.pending', { n: pending() }) : t('roster.allSent')}</span>
              <button class="btn btn-quiet" type="button" data-testid="sync-now" disabled={!sync.online() || !pending()} onClick={() => void sendNow()}>{t('roster.syncNow')}</button>
            </div>
            <Show when={syncProblem()}><p class="note note-bad" role="alert">{syncProblem()}</p></Show>

            <details class="card">
              <summary>{t('roster.import')}</summary>
              <label class="field">
                <span>{t('roster.import')}</span>
                <input type="file" accept=".csv,text/csv" data-testid="csv" onChange={(e) => void importCsv(e)} />
              </label>
              <Show when={imported()}>
                {(im) => (
                  <div data-testid="import-result" role="status">
                    <p>{t('roster.imported', { n: im().n })}</p>
                    <Show when={im().problems.length}>
                      <p class="note note-warn">{t('roster.importProblems', { n: im().problems.length })}</p>
                      <ul class="small">
                        <For each={im().problems.slice(0, 20)}>
                          {(p) => <li>{p.field === 'columns' ? t('roster.columns', { value: p.value ?? '' }) : t('roster.rowProblem', { row: p.row, field: p.field, value: p.value ?? '' })}</li>}
                        </For>
                      </ul>
                    </Show>
                  </div>
                )}
              </Show>
            </details>

            <details class="card">
              <summary>{t('roster.add')}</summary>
              <form class="form" onSubmit={addOne} data-testid="add-form" novalidate>
                <label class="field"><span>{t('roster.name')}</span><input data-testid="add-name" value={add().name} onInput={(e) => setAdd({ ...add(), name: e.currentTarget.value })} /></label>
                <label class="field"><span>{t('roster.birthDate')}</span><input type="date" data-testid="add-birth" value={add().birthDate} onInput={(e) => setAdd({ ...add(), birthDate: e.currentTarget.value })} /></label>
                <label class="field"><span>{t('roster.nisn')}</span><input inputmode="numeric" data-testid="add-nisn" value={add().nisn} onInput={(e) => setAdd({ ...add(), nisn: e.currentTarget.value })} /></label>
                <label class="field"><span>{t('roster.className')}</span><input value={add().className} onInput={(e) => setAdd({ ...add(), className: e.currentTarget.value })} /></label>
                <label class="field"><span>{t('roster.nik')}</span><input inputmode="numeric" autocomplete="off" data-testid="add-nik" value={add().nik} onInput={(e) => setAdd({ ...add(), nik: e.currentTarget.value })} /></label>
                <Show when={addProblem()}><p class="note note-bad" role="alert">{addProblem()}</p></Show>
                <button class="btn" type="submit" data-testid="add-submit">{t('roster.addButton')}</button>
              </form>
            </details>

            <label class="field"><span>{t('roster.search')}</span><input type="search" data-testid="search" value={query()} onInput={(e) => setQuery(e.currentTarget.value)} /></label>
            <p class="muted small" data-testid="roster-count">{t('roster.students', { n: students().length, eligible: eligibleCount() })}</p>
            <Show when={students().length} fallback={<p class="muted">{t('roster.empty')}</p>}>
              <ul class="list" data-testid="roster">
                <For each={shown()}>
                  {(s) => {
                    const el = () => eligibility(s);
                    const m = () => latest().get(s.studentKey);
                    return (
                      <li class="card" data-testid="student" data-key={s.studentKey} data-status={m()?.status ?? 'none'} data-state={m()?.state ?? 'none'}>
                        <div class="row between">
                          <strong>{s.student.name}</strong>
                          <span class="small muted">{s.student.className ?? ''} {s.student.nisn ?? ''} · {s.student.birthDate}</span>
                        </div>
                        <span class={`badge${registryFlag(s) === 'matched' ? '' : ' badge-warn'}`} data-testid="registry" data-flag={registryFlag(s)}>{t(`roster.registry.${registryFlag(s)}` as 'roster.registry.later')}</span>
                        <Show when={!el().eligible}><span class="badge badge-warn">{t('roster.ineligible', { date: el().turns17On ?? '—' })}</span></Show>
                        <Show when={el().eligible && el().basis === 'turning_seventeen'}><span class="badge">{t('roster.turning', { date: el().turns17On ?? '' })}</span></Show>
                        <p class="small">
                          <span data-testid="current-status">{statusText(m()?.state === 'rejected' || m()?.state === 'conflict' ? 'none' : m()?.status ?? 'none')}</span>
                          <Show when={m() && m()!.state !== 'rejected' && m()!.state !== 'conflict'}> · {dateTime(m()!.at)}{m()!.note ? ` · ${m()!.note}` : ''}</Show>
                          <Show when={m()?.state === 'pending'}> <span class="badge">{t('roster.pending', { n: 1 })}</span></Show>
                        </p>
                        <Show when={m()?.state === 'conflict'}>
                          <div class="note note-bad" role="alert" data-testid="conflict">
                            {t('roster.conflict', { status: statusText(m()!.current?.status ?? 'none') })} ({m()!.current?.deviceId}, {m()!.current ? dateTime(m()!.current!.at) : ''})
                            <div class="row">
                              <button class="btn btn-quiet" type="button" data-testid="keep-theirs" onClick={() => void adoptTheirs(m()!)}>{t('roster.keepTheirs')}</button>
                              <button class="btn btn-quiet" type="button" data-testid="keep-mine" onClick={() => void tap(s, m()!.status)}>{t('roster.keepMine')}</button>
                            </div>
                          </div>
                        </Show>
                        <Show when={m()?.state === 'rejected'}><p class="note note-bad" data-testid="rejected">{t('roster.rejected', { reason: problemText(m()!.problem ?? { code: 'rejected', status: 422 }) })}</p></Show>
                        <div class="row" role="group" aria-label={t('roster.mark', { name: s.student.name })}>
                          <For each={MARK_STATUSES}>
                            {(st) => (
                              <button
                                class={`btn${m()?.status === st && m()?.state !== 'conflict' && m()?.state !== 'rejected' ? '' : ' btn-quiet'}`}
                                type="button"
                                data-status={st}
                                aria-pressed={m()?.status === st && m()?.state !== 'conflict' && m()?.state !== 'rejected'}
                                disabled={st === 'recorded' && !el().eligible}
                                onClick={() => void tap(s, st)}
                              >
                                {statusText(st)}
                              </button>
                            )}
                          </For>
                        </div>
                        <label class="field small">
                          <span>{t('roster.note')}</span>
                          <input data-testid="note" value={notes()[s.studentKey] ?? ''} onInput={(e) => setNotes({ ...notes(), [s.studentKey]: e.currentTarget.value })} />
                        </label>
                        <Show when={rowProblem()?.key === s.studentKey}><p class="note note-bad" role="alert">{rowProblem()!.text}</p></Show>
                      </li>
                    );
                  }}
                </For>
              </ul>
            </Show>
          </Show>
        </Show>
      </Show>
    </section>
  );
}
