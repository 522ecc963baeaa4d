/**
 * One birth file: the data and flags, each attachment's upload state (partner) or the file itself (office), the
 * actions the user's role has in this state (completeness with a reason per document, input, verification,
 * signing with the password, delivery, drive-thru, revocation), the certificates and the parent's messages.
 */
import './messages'; // this screen's texts (registered with t() when loaded)
import { A, useParams } from '@solidjs/router';
import { For, Show, createMemo, createResource, createSignal } from 'solid-js';
import type { Requirement } from '../../../../schema/contracts/birth';
import { availableActions, transition } from '../../../../schema/workflows';
import { ApiFailure, api } from '../../api';
import { db } from '../../db';
import { dateTime, lbl, problemText, t } from '../../i18n';
import { createLive } from '../../state/live';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { enqueue } from '../../sync/engine';
import { actionLabel, loadRequirements, stateLabel, useBirthCases, wf } from './birth';
import { addFile, refOf, retryFile, uploadDue } from './files';
import { SideBySide, type SideBySideData } from './SideBySide';

interface CertificatesAnswer {
  certificates: { registerNo: string; status: string; signedAt: number; revokeReason: string | null; downloadUrl: string | null; qr: string | null }[];
  delivery: { channel: string; status: string; lastError: string | null }[];
}
type Data = {
  child: { name: string; sex: string; birthDate: string; birthTime: string; birthPlace: string; birthOrder: number };
  mother: { nik: string; name: string };
  father?: { nik: string; name: string };
  kkNumber: string;
  reporter: { name: string; phone: string; email?: string };
  attachments?: { id: string; requirement: string; contentType: string; size: number }[];
  partnerName?: string;
  flags?: { late: boolean; daysSinceBirth: number; possibleDuplicate?: boolean; motherInRegistry: boolean; missingRequirements: string[] };
  returned?: { reasons: { requirement: string; reason: string }[]; note: string | null } | null;
};
/** The cases a file may duplicate: office staff only (a clerk gets the flag, never another partner's case). */
interface DuplicatesAnswer {
  duplicates: { id: string; state: string; childName: string | null; partnerName: string | null; createdAt: number }[];
}
const REASON_ACTIONS = new Set(['send_back', 'to_pickup', 'revoke']);

export default function BirthCase() {
  const params = useParams<{ id: string }>();
  const session = useSession();
  const sync = useSync();
  const cases = useBirthCases();
  const c = createMemo(() => cases().find((x) => x.id === params.id));
  const files = createLive(() => db.birthFiles.where('caseId').equals(params.id).toArray(), []);
  const [requirements] = createResource(async () => (await loadRequirements(session.user()?.officeCode ?? '', sync.online())) ?? ([] as Requirement[]));
  const [problem, setProblem] = createSignal<string>();
  const [notice, setNotice] = createSignal<string>();
  const [reasons, setReasons] = createSignal<Record<string, string>>({});
  const [reason, setReason] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [passphrase, setPassphrase] = createSignal('');
  const [certs, { refetch }] = createResource(
    () => (c()?.onServer && sync.online() && session.user()?.roles.some((r) => r !== 'partner_operator') ? `${params.id}@${c()?.version}` : false),
    () => api<CertificatesAnswer>(`/api/birth/cases/${encodeURIComponent(params.id)}/certificates`),
  );
  const [duplicates] = createResource(
    () => (c()?.onServer && sync.online() && (c()!.data as Data).flags?.possibleDuplicate && !session.hasRole('partner_operator') ? `${params.id}@${c()?.version}` : false),
    () => api<DuplicatesAnswer>(`/api/birth/cases/${encodeURIComponent(params.id)}/duplicates`),
  );
  const actions = createMemo(() => (c() ? availableActions(wf, c()!.state, session.user()?.roles ?? []) : []));
  /** Corrected files picked for the resubmit, kept on the device (status draft) until the resubmit is queued. */
  const corrections = createMemo(() => files().filter((f) => f.status === 'draft'));
  const [fileProblem, setFileProblem] = createSignal<string>();

  async function pickCorrection(requirement: string, list: FileList | null) {
    const user = session.user();
    if (!user || !list) return;
    setFileProblem(undefined);
    for (const file of Array.from(list)) {
      const r = await addFile(file, `resubmit:${params.id}`, requirement, user.id);
      if (r.ok) await db.birthFiles.update(r.file.id, { caseId: params.id });
      else setFileProblem(t(r.reason === 'type' ? 'birth.fileType' : 'birth.fileTooLarge'));
    }
  }
  const labelOf = (code: string) => lbl(requirements()?.find((r) => r.code === code)?.label ?? { id: code, en: code });

  async function run(action: string) {
    const user = session.user();
    const cs = c();
    if (!user || !cs) return;
    setProblem(undefined);
    let input: Record<string, unknown> = {};
    if (action === 'return_incomplete') input = { reasons: Object.entries(reasons()).filter(([, v]) => v.trim()).map(([requirement, r]) => ({ requirement, reason: r.trim() })) };
    else if (REASON_ACTIONS.has(action)) input = { reason: reason().trim() };
    else if (action === 'resubmit') input = { attachments: corrections().map(refOf) };
    const verdict = transition(wf, cs.state, action, user.roles, input);
    if (!verdict.ok) {
      setProblem(verdict.code === 'validation_failed' ? `${t('form.invalid')} ${verdict.detail}` : t('form.notAllowed'));
      return;
    }
    const command = { type: 'action' as const, caseId: cs.id, service: wf.service, action, baseVersion: cs.version, input: verdict.input as Record<string, unknown>, userId: user.id, username: user.username, officeCode: user.officeCode };
    if (action === 'resubmit') {
      // The corrected files and the command change together: the files upload once the server knows them.
      const picked = corrections();
      await db.transaction('rw', db.birthFiles, db.outbox, db.drafts, async () => {
        for (const f of picked) await db.birthFiles.update(f.id, { status: 'queued' });
        await enqueue(command);
      });
    } else {
      await enqueue(command);
    }
    sync.changed();
    if (action === 'resubmit') void uploadDue();
    setNotice(t('birth.queued'));
    setReasons({});
    setReason('');
  }

  async function sign(e: SubmitEvent) {
    e.preventDefault();
    const cs = c();
    if (!cs) return;
    setProblem(undefined);
    try {
      const { results } = await api<{ results: { status: string; registerNo?: string; problem?: { code: string; detail?: string } }[] }>('/api/birth/sign', {
        body: { password: password(), ...(passphrase() ? { passphrase: passphrase() } : {}), cases: [{ id: cs.id, version: cs.version }] },
      });
      setPassword('');
      setPassphrase('');
      const r = results[0]!;
      if (r.status === 'applied') setNotice(t('birth.signed', { no: r.registerNo ?? '' }));
      else setProblem(problemText({ code: r.problem?.code ?? 'rejected', status: 409, detail: r.problem?.detail }));
      await sync.syncNow(true);
      void refetch();
    } catch (err) {
      setProblem(err instanceof ApiFailure ? problemText(err.problem) : problemText({ code: 'network', status: 0 }));
    }
  }

  return (
    <section>
      <A href="/akta" class="back">← {t('common.back')}</A>
      <Show when={c()} fallback={<p class="muted">{t('case.notFound')}</p>}>
        {(cs) => {
          const d = () => cs().data as Data;
          return (
            <>
              <h1 data-testid="case-state" data-state={cs().state}>{lbl(stateLabel(cs().state))}</h1>
              <p>
                <strong data-testid="child-name">{d().child?.name}</strong> — {d().child?.birthDate} {d().child?.birthTime}, {d().child?.birthPlace}
                <br />
                {t('birth.mother')}: {d().mother?.name} ({d().mother?.nik}) · {t('birth.kk')}: {d().kkNumber}
                <Show when={d().partnerName}><br /><span class="muted">{d().partnerName}</span></Show>
              </p>
              <Show when={wf.states[cs().state as keyof typeof wf.states]?.standardMinutes}>
                {(min) => <p class="muted small">{t('birth.step', { min: min() })}{cs().dueAt ? ` · ${dateTime(cs().dueAt!)}` : ''} <Show when={cs().overrun}><span class="badge badge-bad">{t('birth.overrun')}</span></Show></p>}
              </Show>
              <Show when={d().flags?.late}><p class="note note-warn">{t('birth.lateFlag', { days: d().flags!.daysSinceBirth })}</p></Show>
              <Show when={d().flags?.possibleDuplicate}>
                <div class="note note-warn" data-testid="duplicate-flag">
                  {t('birth.duplicateFlag')}
                  <Show when={duplicates()?.duplicates.length}>
                    <ul data-testid="duplicate-links">
                      <For each={duplicates()!.duplicates}>
                        {(x) => <li><A href={`/akta/${x.id}`}>{x.childName ?? x.id.slice(0, 8)}</A> — {lbl(stateLabel(x.state))}{x.partnerName ? ` · ${x.partnerName}` : ''} · {dateTime(x.createdAt)}</li>}
                      </For>
                    </ul>
                  </Show>
                </div>
              </Show>
              <Show when={d().flags && !d().flags!.motherInRegistry}><p class="note note-warn">{t('birth.notInRegistry')}</p></Show>
              <Show when={d().returned}>
                {(ret) => (
                  <div class="note note-bad" data-testid="returned">
                    <For each={ret().reasons}>{(r) => <div>{labelOf(r.requirement)}: {r.reason}</div>}</For>
                    <Show when={ret().note}><div>{ret().note}</div></Show>
                  </div>
                )}
              </Show>

              {/* Office staff compare the data with each document side by side (the verifier's step); partners see their own list below. */}
              <Show when={cs().onServer && !session.hasRole('partner_operator') && (d().attachments ?? []).length > 0}>
                <SideBySide data={d() as unknown as SideBySideData} labelOf={labelOf} online={sync.online()} />
              </Show>

              <h2>{t('birth.attachments')}</h2>
              <ul data-testid="attachment-list">
                <For each={d().attachments ?? []}>
                  {(a) => {
                    const local = () => files().find((f) => f.id === a.id);
                    return (
                      <li data-attachment={a.id} data-status={local()?.status ?? 'server'}>
                        {labelOf(a.requirement)} ({Math.ceil(a.size / 1024)} KB){' '}
                        <Show when={local()} fallback={<a href={`/api/birth/attachments/${a.id}`} target="_blank" rel="noopener">{t('birth.openFile')}</a>}>
                          {(f) => (
                            <>
                              <span class="badge">{t(f().status === 'uploaded' ? 'birth.upload.uploaded' : f().status === 'failed' ? 'birth.upload.failed' : 'birth.upload.waiting')}</span>
                              <Show when={f().partCount && f().status !== 'uploaded'}> <small class="muted" data-testid="upload-parts">{t('birth.upload.parts', { done: f().partsDone ?? 0, total: f().partCount! })}</small></Show>
                              <Show when={f().lastProblem && f().status !== 'uploaded'}> <small class="error">{problemText(f().lastProblem!)}</small></Show>
                              <Show when={f().status !== 'uploaded'}> <button class="btn btn-quiet" type="button" onClick={() => void retryFile(f().id)}>{t('birth.upload.retry')}</button></Show>
                            </>
                          )}
                        </Show>
                      </li>
                    );
                  }}
                </For>
              </ul>

              <Show when={actions().includes('resubmit')}>
                <fieldset data-testid="resubmit-files">
                  <legend>{t('birth.corrected')}</legend>
                  <For each={requirements() ?? []}>
                    {(r) => {
                      const asked = () => d().returned?.reasons.some((x) => x.requirement === r.code) ?? false;
                      return (
                        <div class="field" data-requirement={r.code} data-asked={String(asked())}>
                          <span id={`fix-${r.code}`}>
                            {lbl(r.label)} <Show when={asked()}><span class="badge badge-warn">{t('birth.askedAgain')}</span></Show>
                          </span>
                          <input type="file" accept="image/jpeg,image/png,image/webp,application/pdf" capture="environment" multiple aria-labelledby={`fix-${r.code}`} data-testid={`fix-${r.code}`} onChange={(e) => void pickCorrection(r.code, e.currentTarget.files)} />
                          <ul class="small">
                            <For each={corrections().filter((f) => f.requirement === r.code)}>
                              {(f) => (
                                <li data-correction={f.id}>
                                  {f.name} ({Math.ceil(f.size / 1024)} KB){' '}
                                  <button type="button" class="btn btn-quiet" onClick={() => void db.birthFiles.delete(f.id)}>{t('birth.removeFile')}</button>
                                </li>
                              )}
                            </For>
                          </ul>
                        </div>
                      );
                    }}
                  </For>
                  <Show when={fileProblem()}><p class="error">{fileProblem()}</p></Show>
                </fieldset>
              </Show>
              <Show when={files().some((f) => f.status !== 'draft' && !(d().attachments ?? []).some((a) => a.id === f.id))}>
                <p class="small muted" data-testid="pending-corrections">
                  {t('birth.pendingCorrections', { n: files().filter((f) => f.status !== 'draft' && !(d().attachments ?? []).some((a) => a.id === f.id)).length })}
                </p>
              </Show>

              <Show when={notice()}><p class="note" data-testid="notice">{notice()}</p></Show>
              <Show when={problem()}><p class="note note-bad" role="alert" data-testid="problem">{problem()}</p></Show>

              <Show when={actions().includes('return_incomplete')}>
                <fieldset data-testid="return-form">
                  <legend>{t('birth.returnReasons')}</legend>
                  <For each={requirements() ?? []}>
                    {(r) => (
                      <label class="field">
                        <span>{t('birth.returnFor', { doc: lbl(r.label) })}</span>
                        <input data-testid={`reason-${r.code}`} value={reasons()[r.code] ?? ''} onInput={(e) => setReasons({ ...reasons(), [r.code]: e.currentTarget.value })} />
                      </label>
                    )}
                  </For>
                </fieldset>
              </Show>
              <Show when={actions().some((a) => REASON_ACTIONS.has(a))}>
                <label class="field">
                  <span>{t('birth.reason')}</span>
                  <input data-testid="reason" value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
                </label>
              </Show>
              <div class="row">
                <For each={actions().filter((a) => a !== 'sign')}>
                  {(a) => <button class="btn" type="button" data-action={a} onClick={() => void run(a)}>{lbl(actionLabel(a))}</button>}
                </For>
              </div>
              <Show when={actions().includes('sign')}>
                <form class="form card" onSubmit={sign} data-testid="sign-form">
                  <h2>{t('birth.sign')}</h2>
                  <Show when={sync.online()} fallback={<p class="note note-warn">{t('birth.signOnline')}</p>}>
                    <label class="field"><span>{t('birth.password')}</span><input type="password" autocomplete="current-password" data-testid="sign-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} /></label>
                    <label class="field"><span>{t('birth.passphrase')}</span><input type="password" autocomplete="off" value={passphrase()} onInput={(e) => setPassphrase(e.currentTarget.value)} /></label>
                    <button class="btn" type="submit" data-testid="sign-submit">{t('birth.sign')}</button>
                  </Show>
                </form>
              </Show>

              <Show when={certs()}>
                {(answer) => (
                  <>
                    <h2>{t('birth.certificates')}</h2>
                    <ul data-testid="certificates">
                      <For each={answer().certificates}>
                        {(x) => (
                          <li data-register={x.registerNo} data-status={x.status}>
                            {x.registerNo} — {dateTime(x.signedAt)}{' '}
                            <Show when={x.status === 'revoked'}><span class="badge badge-bad">{t('birth.revoked', { reason: x.revokeReason ?? '' })}</span></Show>
                            <Show when={x.downloadUrl}><a href={x.downloadUrl!} data-testid="download">{t('birth.download')}</a></Show>
                          </li>
                        )}
                      </For>
                    </ul>
                    <Show when={answer().delivery.length}>
                      <h3>{t('birth.delivery')}</h3>
                      <ul data-testid="delivery">
                        <For each={answer().delivery}>{(m) => <li>{m.channel}: {m.status}{m.lastError ? ` (${m.lastError})` : ''}</li>}</For>
                      </ul>
                    </Show>
                  </>
                )}
              </Show>
            </>
          );
        }}
      </Show>
    </section>
  );
}
