/**
 * One complaint for a handler: facts, the complainant (only where allowed), the linked application's SOP steps,
 * the handling history and the actions the SOP table allows now, sent through the staff outbox.
 */
import './messages'; // this screen's texts (registered with t() when loaded)
import { A, useParams } from '@solidjs/router';
import { For, Show, createEffect, createMemo, createResource, createSignal, on, onCleanup, onMount } from 'solid-js';
import { z } from 'zod';
import { availableActions, transition } from '../../../../schema/workflows';
import { aduan } from '../../../../schema/workflows/aduan';
import { api, problemFromError } from '../../api';
import { db } from '../../db';
import { dateTime, lbl, problemText, t, tryT } from '../../i18n';
import { useSession } from '../../state/session';
import { createLive } from '../../state/live';
import { enqueue, runSync } from '../../sync/engine';
import { ANSWER_SENT_EVENT, answerIdOf, attachFile, markAnswerReady, removeAnswerFile, reopenAnswer, retryAnswerFile, saveAnswerValues } from './answer-files';
import { fieldErrors, inputFields } from '../ktpel/validation';

type Label = { id: string; en: string };
interface Detail {
  case: { id: string; state: string; version: number; data: Record<string, unknown>; dueAt: number | null; overrun: boolean };
  ticketNo: string; channel: string; privacy: string; subjectService: string; assigneeId: string | null; receivedAt: number;
  escalated: boolean; mergedInto: string | null; mergedTickets: string[];
  identity: { status: 'anonymous' | 'hidden' } | { status: 'shown'; name: string | null; email: string | null; phone: string | null };
  steps: { version: number; action: string; toState: string; actorName: string | null; input: Record<string, unknown>; at: number }[];
  attachments: { id: string; name: string; type: string; size: number; purpose: 'intake' | 'reply_draft' | 'reply' }[];
  relatedCase: null | { id: string; service: string; state: string; title: Label; overrun: boolean; steps: { action: string; at: number; standardMinutes: number | null; overrun: boolean }[] };
}

const stateLabel = (s: string) => lbl((aduan.states as Record<string, { label: Label }>)[s]?.label ?? { id: s, en: s });
const actionDef = (a: string) => (aduan.actions as Record<string, { label: Label; input: z.ZodType }>)[a]!;
/** Enum fields offer their options; everything else is text (long ones as a text area). */
function enumOptions(schema: z.ZodType, field: string): readonly string[] | null {
  if (!(schema instanceof z.ZodObject)) return null;
  let f = (schema.shape as Record<string, z.ZodType>)[field];
  if (f instanceof z.ZodOptional) f = f.unwrap() as z.ZodType;
  return f instanceof z.ZodEnum ? (f.options as string[]) : null;
}
const LONG = new Set(['note', 'skipReason', 'resolution', 'forwardNote', 'postponeReason', 'archiveReason', 'reopenReason', 'reassignReason']);

export function ComplaintDetail() {
  const params = useParams<{ id: string }>();
  const session = useSession();
  const [detail, { refetch }] = createResource(() => params.id, (id) => api<Detail>(`/api/aduan/cases/${id}`));
  const [handlers] = createResource(() => api<{ handlers: { id: string; name: string }[] }>('/api/aduan/handlers').then((r) => r.handlers));
  const [open, setOpen] = createSignal<string>();
  const [values, setValues] = createSignal<Record<string, string>>({});
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [note, setNote] = createSignal<string>();
  // The answer (resolve) and its files live in IndexedDB from the first keystroke or pick (answer-files.ts): files
  // upload on their own when the network allows, and the answer is sent once they are all in.
  const [fileError, setFileError] = createSignal<string>();
  const answerId = () => answerIdOf(session.user()?.id ?? '', params.id);
  // liveQuery does not follow Solid signals: read every answer on this device (a handful), then pick this one's.
  const answers = createLive(() => db.aduanAnswers.toArray(), []);
  const allFiles = createLive(() => db.aduanAnswerFiles.toArray(), []);
  const answer = createMemo(() => answers().find((a) => a.id === answerId()));
  const files = createMemo(() => allFiles().filter((f) => f.answerId === answerId()).sort((a, b) => a.createdAt - b.createdAt));
  const author = () => {
    const u = session.user();
    return u ? { userId: u.id, username: u.username, officeCode: u.officeCode } : undefined;
  };

  async function addFiles(list: FileList | null) {
    const who = author();
    if (!who || !list) return;
    setFileError(undefined);
    for (const file of Array.from(list)) {
      const added = await attachFile(who, params.id, values(), file);
      if (!added.ok) setFileError(`${file.name}: ${t(added.reason === 'type' ? 'reply.badType' : added.reason === 'size' ? 'reply.tooLarge' : 'reply.tooMany')}`);
    }
  }

  /** An answer kept on this device reopens its form with what was typed (after a reload, a closed browser, a lost network). */
  async function restoreAnswer() {
    const saved = await db.aduanAnswers.get(answerId());
    if (saved && actions().includes('resolve')) {
      setOpen('resolve');
      setValues(saved.values);
    }
  }
  createEffect(on(() => detail()?.case.id, (id) => { if (id) void restoreAnswer(); }));

  function setValue(field: string, value: string) {
    setValues({ ...values(), [field]: value });
    const who = author();
    if (open() === 'resolve' && who) void saveAnswerValues(who, params.id, values());
  }

  onMount(() => {
    const sent = (e: Event) => {
      if ((e as CustomEvent<string>).detail !== params.id) return;
      setOpen(undefined);
      setValues({});
      setNote(undefined);
      void refetch();
    };
    window.addEventListener(ANSWER_SENT_EVENT, sent);
    onCleanup(() => window.removeEventListener(ANSWER_SENT_EVENT, sent));
  });

  const fileStatus = (f: ReturnType<typeof files>[number]) =>
    f.status === 'uploaded' ? t('reply.fileUploaded')
      : f.status === 'failed' ? `${t('reply.fileFailed')}: ${problemText(f.lastProblem ?? { code: 'network', status: 0 })}`
        : f.lastProblem ? t('reply.fileWaitingNetwork') : t('reply.fileQueued');

  const actions = () => {
    const d = detail();
    const user = session.user();
    return d && user ? availableActions(aduan, d.case.state, user.roles).filter((a) => a !== 'reopen') : [];
  };

  async function run(e: SubmitEvent, action: string) {
    e.preventDefault();
    const d = detail();
    const user = session.user();
    if (!d || !user) return;
    const input: Record<string, unknown> = Object.fromEntries(Object.entries(values()).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
    if (action === 'resolve' && files().length) input.replyFiles = files().map((f) => f.id);
    const verdict = transition(aduan, d.case.state, action, user.roles, input);
    if (!verdict.ok) {
      setErrors(fieldErrors(actionDef(action).input, input));
      return;
    }
    if (action === 'resolve') {
      if (files().some((f) => f.status === 'failed')) {
        setFileError(t('reply.fixFailed'));
        return;
      }
      setErrors({});
      const who = author()!;
      await saveAnswerValues(who, d.case.id, values());
      // Said first: when its files are already in, the answer is queued and synced (and this note cleared) at once.
      setNote(t('detail.queued'));
      await markAnswerReady(answerId(), d.case.version, verdict.input as Record<string, unknown>);
      // Still here: its files are not all in yet; it goes by itself when they are (the form says so).
      if (await db.aduanAnswers.get(answerId())) setNote(undefined);
      else setOpen(undefined);
      return;
    }
    await enqueue({ type: 'action', caseId: d.case.id, service: 'aduan', action, baseVersion: d.case.version, input: verdict.input as Record<string, unknown>, userId: user.id, username: user.username, officeCode: user.officeCode });
    setOpen(undefined);
    setValues({});
    setErrors({});
    setNote(t('detail.queued'));
    const outcome = await runSync({ force: true });
    if (outcome === 'done') {
      setNote(undefined);
      void refetch();
    }
  }

  return (
    <section class="card" data-testid="aduan-detail">
      <p><A href="/aduan/kotak">← {t('inbox.title')}</A></p>
      <Show when={detail.error}><p class="note note-bad" role="alert">{problemText(problemFromError(detail.error))}</p></Show>
      <Show when={detail()}>
        {(d) => (
          <>
            <h1>{d().ticketNo} <span class="pill" data-testid="detail-state" data-state={d().case.state}>{stateLabel(d().case.state)}</span></h1>
            <Show when={typeof d().case.data.title === 'string'}><h2>{String(d().case.data.title)}</h2></Show>
            <p style={{ 'white-space': 'pre-wrap' }}>{String(d().case.data.description ?? '')}</p>
            <dl class="facts">
              <dt>{t('detail.channel')}</dt><dd>{tryT(`channel.${d().channel}`, d().channel)}</dd>
              <dt>{t('aduan.subject')}</dt><dd>{tryT(`aduan.subject.${d().subjectService}`, d().subjectService)}</dd>
              <dt>{t('detail.received')}</dt><dd>{dateTime(d().receivedAt)}</dd>
              <Show when={d().case.dueAt}>
                <dt>{t('detail.due')}</dt>
                <dd>{dateTime(d().case.dueAt!)} <Show when={d().case.overrun}><span class="pill pill-bad">{t('inbox.overdue')}</span></Show> <Show when={d().escalated}><span class="pill pill-warn">{t('inbox.escalated')}</span></Show></dd>
              </Show>
              <Show when={d().case.data.assigneeName}><dt>{t('detail.assignee')}</dt><dd>{String(d().case.data.assigneeName)}</dd></Show>
              <dt>{t('detail.identity')}</dt>
              <dd data-testid="detail-identity">
                {(() => {
                  const id = d().identity;
                  if (id.status !== 'shown') return id.status === 'anonymous' ? t('detail.identity.anonymous') : t('detail.identity.hidden');
                  return [id.name, id.email, id.phone].filter(Boolean).join(' · ');
                })()}
              </dd>
              <Show when={d().mergedTickets.length}><dt>{t('detail.merged')}</dt><dd>{d().mergedTickets.join(', ')}</dd></Show>
            </dl>

            <Show when={d().relatedCase}>
              {(r) => (
                <div>
                  <h2>{t('detail.related')}: {lbl(r().title)} <span class="mono small">{r().id}</span></h2>
                  <table>
                    <thead><tr><th>{t('dash.step')}</th><th>{t('detail.received')}</th><th>{t('dash.standard')}</th><th></th></tr></thead>
                    <tbody>
                      <For each={r().steps}>{(s) => <tr><td>{s.action}</td><td>{dateTime(s.at)}</td><td>{s.standardMinutes ?? '—'}</td><td>{s.standardMinutes === null ? '' : s.overrun ? t('detail.overrun') : t('detail.onTime')}</td></tr>}</For>
                    </tbody>
                  </table>
                </div>
              )}
            </Show>

            <For each={[['intake', 'detail.attachments'], ['reply', 'detail.replyFiles']] as const}>
              {([purpose, title]) => (
                <Show when={d().attachments.some((a) => a.purpose === purpose)}>
                  <h2>{t(title)}</h2>
                  <ul data-testid={`detail-files-${purpose}`}>
                    <For each={d().attachments.filter((a) => a.purpose === purpose)}>{(a) => <li><a href={`/api/aduan/attachments/${a.id}`}>{a.name}</a> <small class="muted">({Math.ceil(a.size / 1024)} KiB)</small></li>}</For>
                  </ul>
                </Show>
              )}
            </For>

            <h2>{t('detail.actions')}</h2>
            <Show when={note()}><p class="note" role="status">{note()}</p></Show>
            <div class="actions">
              <For each={actions()}>
                {(a) => <button type="button" class="btn" classList={{ 'btn-primary': open() === a }} data-testid={`action-${a}`} onClick={() => { setOpen(open() === a ? undefined : a); setValues(a === 'resolve' ? (answer()?.values ?? {}) : {}); setErrors({}); setFileError(undefined); }}>{lbl(actionDef(a).label)}</button>}
              </For>
            </div>
            <Show when={open()}>
              {(a) => (
                <form class="form" onSubmit={(e) => void run(e, a())} data-testid="action-form">
                  <For each={inputFields(actionDef(a()).input)}>
                    {(field) => field === 'replyFiles' ? (
                      <div class="field" classList={{ 'has-error': !!(errors()[field] || fileError()) }} data-testid="reply-files">
                        <label>
                          <span>{t('field.replyFiles')}</span>
                          <input name={field} type="file" multiple accept="image/jpeg,image/png,image/webp,application/pdf" disabled={answer()?.status === 'ready'} onChange={(e) => { const input = e.currentTarget; void addFiles(input.files).then(() => { input.value = ''; }); }} />
                        </label>
                        <ul>
                          <For each={files()}>
                            {(f) => (
                              <li data-testid="reply-file" data-status={f.status}>{f.storedName ?? f.name} <small class="muted">({Math.ceil(f.size / 1024)} KiB · <span data-testid="reply-file-status">{fileStatus(f)}</span>)</small>{' '}
                                <Show when={f.status !== 'uploaded'}><button type="button" class="btn" onClick={() => void retryAnswerFile(f.id, f.userId)}>{t('reply.retry', { name: f.name })}</button>{' '}</Show>
                                <Show when={answer()?.status !== 'ready'}><button type="button" class="btn" onClick={() => void removeAnswerFile(f.id)}>{t('reply.remove', { name: f.name })}</button></Show>
                              </li>
                            )}
                          </For>
                        </ul>
                        <Show when={fileError() ?? errors()[field]}>{(m) => <small class="error" role="alert">{m()}</small>}</Show>
                      </div>
                    ) : (
                      <label class="field" classList={{ 'has-error': !!errors()[field] }}>
                        <span>{tryT(`field.${field}`, field)}</span>
                        {field === 'assigneeId' ? (
                          <select name={field} value={values()[field] ?? ''} onChange={(e) => setValue(field, e.currentTarget.value)}>
                            <option value="">—</option>
                            <For each={handlers() ?? []}>{(h) => <option value={h.id}>{h.name}</option>}</For>
                          </select>
                        ) : enumOptions(actionDef(a()).input, field) ? (
                          <select name={field} value={values()[field] ?? ''} onChange={(e) => setValue(field, e.currentTarget.value)}>
                            <option value="">—</option>
                            <For each={enumOptions(actionDef(a()).input, field)!}>{(o) => <option value={o}>{tryT(`priority.${o}`, tryT(`aduan.kind.${o}`, tryT(`value.resolutionClass.${o}`, o)))}</option>}</For>
                          </select>
                        ) : field === 'postponeUntil' ? (
                          <input name={field} type="date" value={values()[field] ?? ''} onInput={(e) => setValue(field, e.currentTarget.value)} />
                        ) : LONG.has(field) ? (
                          <textarea name={field} rows="3" value={values()[field] ?? ''} onInput={(e) => setValue(field, e.currentTarget.value)} />
                        ) : (
                          <input name={field} value={values()[field] ?? ''} onInput={(e) => setValue(field, e.currentTarget.value)} />
                        )}
                        <Show when={errors()[field]}><small class="error">{errors()[field]}</small></Show>
                      </label>
                    )}
                  </For>
                  <Show when={a() === 'resolve' && answer()?.status === 'ready'}>
                    <p class="note" role="status" data-testid="answer-waiting">{t('reply.waitingFiles', { left: files().filter((f) => f.status !== 'uploaded').length })}</p>
                    <button type="button" class="btn" onClick={() => void reopenAnswer(answerId())}>{t('reply.edit')}</button>
                  </Show>
                  <button class="btn btn-primary" type="submit" disabled={a() === 'resolve' && answer()?.status === 'ready'} data-testid="action-submit">{lbl(actionDef(a()).label)}</button>
                </form>
              )}
            </Show>

            <h2>{t('detail.steps')}</h2>
            <ol class="timeline" data-testid="detail-steps">
              <For each={d().steps}>
                {(s) => (
                  <li>
                    <strong>{lbl(actionDef(s.action)?.label ?? { id: s.action, en: s.action })}</strong> → {stateLabel(s.toState)} <small class="muted">{dateTime(s.at)}{s.actorName ? ` · ${s.actorName}` : ''}</small>
                    <For each={Object.entries(s.input).filter(([k]) => ['note', 'skipReason', 'resolution', 'forwardTo', 'forwardNote', 'postponeReason', 'postponeUntil', 'archiveReason', 'category', 'priority', 'reopenReason', 'intoTicket', 'reassignReason', 'resolutionClass'].includes(k))}>
                      {([k, v]) => <div class="small">{tryT(`field.${k}`, k)}: {String(v)}</div>}
                    </For>
                  </li>
                )}
              </For>
            </ol>
          </>
        )}
      </Show>
    </section>
  );
}

export default ComplaintDetail;
