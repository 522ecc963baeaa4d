/**
 * One complaint for a handler: facts, the complainant (only where allowed), the linked application's SOP steps,
 * the handling history and the actions the SOP table allows now, sent through the staff outbox.
 */
import './messages'; // this screen's texts (registered with t() when loaded)
import { A, useParams } from '@solidjs/router';
import { For, Show, createResource, createSignal } from 'solid-js';
import { z } from 'zod';
import { availableActions, transition } from '../../../../schema/workflows';
import { aduan } from '../../../../schema/workflows/aduan';
import { api, problemFromError, problemOf } from '../../api';
import { dateTime, lbl, problemText, t, tryT } from '../../i18n';
import { useSession } from '../../state/session';
import { enqueue, runSync } from '../../sync/engine';
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
  // Answer files: uploaded as soon as they are picked (online), then named by id in the resolution.
  const [files, setFiles] = createSignal<{ id: string; name: string; size: number }[]>([]);
  const [uploading, setUploading] = createSignal<string>();
  const [fileError, setFileError] = createSignal<string>();

  async function addFiles(list: FileList | null) {
    const d = detail();
    if (!d || !list) return;
    setFileError(undefined);
    for (const file of Array.from(list)) {
      setUploading(file.name);
      try {
        const res = await fetch(`/api/aduan/cases/${d.case.id}/reply-files?name=${encodeURIComponent(file.name)}`, {
          method: 'POST', body: file, headers: { 'content-type': file.type || 'application/octet-stream' }, credentials: 'same-origin',
        });
        if (!res.ok) throw await problemOf(res);
        const saved = (await res.json()) as { id: string; name: string; size: number };
        setFiles([...files(), saved]);
      } catch (err) {
        const p = err && typeof err === 'object' && 'code' in err ? (err as ReturnType<typeof problemFromError>) : { code: 'network', status: 0 };
        setFileError(p.code === 'network' ? t('reply.needsOnline') : `${file.name}: ${problemText(p)}`);
      } finally {
        setUploading(undefined);
      }
    }
  }

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
    await enqueue({ type: 'action', caseId: d.case.id, service: 'aduan', action, baseVersion: d.case.version, input: verdict.input as Record<string, unknown>, userId: user.id, username: user.username, officeCode: user.officeCode });
    setOpen(undefined);
    setValues({});
    setErrors({});
    setFiles([]);
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
                {(a) => <button type="button" class="btn" classList={{ 'btn-primary': open() === a }} data-testid={`action-${a}`} onClick={() => { setOpen(open() === a ? undefined : a); setValues({}); setErrors({}); setFiles([]); setFileError(undefined); }}>{lbl(actionDef(a).label)}</button>}
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
                          <input name={field} type="file" multiple accept="image/jpeg,image/png,image/webp,application/pdf" disabled={!!uploading()} onChange={(e) => { void addFiles(e.currentTarget.files).then(() => { e.target.value = ''; }); }} />
                        </label>
                        <Show when={uploading()}>{(n) => <small class="muted" role="status">{t('reply.uploading', { name: n() })}</small>}</Show>
                        <ul>
                          <For each={files()}>
                            {(f) => (
                              <li data-testid="reply-file">{f.name} <small class="muted">({Math.ceil(f.size / 1024)} KiB)</small>{' '}
                                <button type="button" class="btn" onClick={() => setFiles(files().filter((x) => x.id !== f.id))}>{t('reply.remove', { name: f.name })}</button>
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
                          <select name={field} value={values()[field] ?? ''} onChange={(e) => setValues({ ...values(), [field]: e.currentTarget.value })}>
                            <option value="">—</option>
                            <For each={handlers() ?? []}>{(h) => <option value={h.id}>{h.name}</option>}</For>
                          </select>
                        ) : enumOptions(actionDef(a()).input, field) ? (
                          <select name={field} value={values()[field] ?? ''} onChange={(e) => setValues({ ...values(), [field]: e.currentTarget.value })}>
                            <option value="">—</option>
                            <For each={enumOptions(actionDef(a()).input, field)!}>{(o) => <option value={o}>{tryT(`priority.${o}`, tryT(`aduan.kind.${o}`, tryT(`value.resolutionClass.${o}`, o)))}</option>}</For>
                          </select>
                        ) : field === 'postponeUntil' ? (
                          <input name={field} type="date" value={values()[field] ?? ''} onInput={(e) => setValues({ ...values(), [field]: e.currentTarget.value })} />
                        ) : LONG.has(field) ? (
                          <textarea name={field} rows="3" value={values()[field] ?? ''} onInput={(e) => setValues({ ...values(), [field]: e.currentTarget.value })} />
                        ) : (
                          <input name={field} value={values()[field] ?? ''} onInput={(e) => setValues({ ...values(), [field]: e.currentTarget.value })} />
                        )}
                        <Show when={errors()[field]}><small class="error">{errors()[field]}</small></Show>
                      </label>
                    )}
                  </For>
                  <button class="btn btn-primary" type="submit" disabled={!!uploading()} data-testid="action-submit">{lbl(actionDef(a()).label)}</button>
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
