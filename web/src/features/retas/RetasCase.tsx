/**
 * One RETAS event through its SOP: the proposal and its memo, approval or return with a reason, the letter's
 * officers, the head's signature (password re-entered), each officer's acknowledgement, publication, recording
 * and the report with its counts.
 */
import './messages';
import { A, useParams } from '@solidjs/router';
import { For, Show, createMemo, createResource, createSignal } from 'solid-js';
import { availableActions, transition } from '../../../../schema/workflows';
import { api, problemFromError } from '../../api';
import { dateTime, lbl, problemText, t } from '../../i18n';
import { fieldLabel, valueLabel } from '../../i18n/fields';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { enqueue } from '../../sync/engine';
import { type EventData, actionLabel, stateLabel, useRetasCases, wf } from './retas';

interface LetterView {
  letter: { no: string; signedAt: number; sha256: string; downloadUrl: string; verifyUrl: string } | null;
  officers: { id: string; name: string; acknowledgedAt: number | null }[];
}
interface RosterView { counts: { recorded: number; absent: number; refused: number; problem: number } }

const LETTER_STATES = new Set(['letter_signed', 'published', 'recording', 'reported']);
const ROSTER_STATES = new Set(['published', 'recording', 'reported']);
/** Actions with their own form below; the rest are one button (with the reason field when they need one). */
const OWN_FORM = new Set(['forward_letter', 'sign_letter', 'confirm_ready', 'submit_report']);
const REASON_OF: Record<string, string> = { return_proposal: 'returnReason', return_letter: 'returnReason', cancel: 'cancelReason' };

export default function RetasCase() {
  const params = useParams<{ id: string }>();
  const session = useSession();
  const sync = useSync();
  const cases = useRetasCases();
  const c = createMemo(() => cases().find((x) => x.id === params.id));
  const d = () => (c()?.data ?? {}) as unknown as EventData;
  const [problem, setProblem] = createSignal<string>();
  const [notice, setNotice] = createSignal<string>();
  const [reason, setReason] = createSignal('');
  const [chosen, setChosen] = createSignal<string[]>([]);
  const [password, setPassword] = createSignal('');
  const [passphrase, setPassphrase] = createSignal('');
  const [ready, setReady] = createSignal({ officers: false, equipment: false });
  const isHead = () => session.hasRole('head_of_division', 'head_of_office', 'admin');
  const onLetter = () => (d().officerIds ?? []).includes(session.user()?.id ?? '');
  const actions = createMemo(() => (c() ? availableActions(wf, c()!.state, session.user()?.roles ?? []) : []));
  const [officers] = createResource(() => (actions().includes('forward_letter') && sync.online() ? 'load' : false), () => api<{ officers: { id: string; name: string }[] }>('/api/retas/officers'));
  const [letter, { refetch: refetchLetter }] = createResource(
    () => (c()?.onServer && sync.online() && LETTER_STATES.has(c()!.state) && (isHead() || onLetter()) ? `${params.id}@${c()!.version}` : false),
    () => api<LetterView>(`/api/retas/cases/${encodeURIComponent(params.id)}/letter`),
  );
  const [roster] = createResource(
    () => (c()?.onServer && sync.online() && ROSTER_STATES.has(c()!.state) && (isHead() || onLetter()) ? `${params.id}@${c()!.version}` : false),
    () => api<RosterView>(`/api/retas/cases/${encodeURIComponent(params.id)}/roster`),
  );

  async function run(action: string, input: Record<string, unknown>) {
    const user = session.user();
    const cs = c();
    if (!user || !cs) return;
    setProblem(undefined);
    const verdict = transition(wf, cs.state, action, user.roles, input);
    if (!verdict.ok) {
      setProblem(verdict.code === 'validation_failed' ? `${t('form.invalid')} ${verdict.detail}` : t('form.notAllowed'));
      return;
    }
    await enqueue({ type: 'action', caseId: cs.id, service: wf.service, action, baseVersion: cs.version, input: verdict.input as Record<string, unknown>, userId: user.id, username: user.username, officeCode: user.officeCode });
    sync.changed();
    setNotice(t('retas.queued'));
    setReason('');
  }

  const inputOf = (action: string): Record<string, unknown> => (REASON_OF[action] ? { [REASON_OF[action]!]: reason().trim() } : {});

  async function sign(e: SubmitEvent) {
    e.preventDefault();
    const cs = c();
    if (!cs) return;
    setProblem(undefined);
    try {
      await api(`/api/retas/cases/${encodeURIComponent(cs.id)}/letter/sign`, { body: { password: password(), version: cs.version, ...(passphrase() ? { passphrase: passphrase() } : {}) } });
      setPassword('');
      setPassphrase('');
      setNotice(t('retas.signed'));
      await sync.syncNow(true);
      void refetchLetter();
    } catch (err) {
      setProblem(problemText(problemFromError(err)));
    }
  }

  async function acknowledge() {
    setProblem(undefined);
    try {
      await api(`/api/retas/cases/${encodeURIComponent(params.id)}/acknowledgements`, { method: 'POST', body: {} });
      void refetchLetter();
    } catch (err) {
      setProblem(problemText(problemFromError(err)));
    }
  }

  return (
    <section>
      <A href="/retas" class="back">← {t('common.back')}</A>
      <Show when={c()} fallback={<p class="muted">{t('case.notFound')}</p>}>
        {(cs) => (
          <>
            <h1 data-testid="case-state" data-state={cs().state}>{d().schoolName}</h1>
            <p>
              <strong>{lbl(stateLabel(cs().state))}</strong>
              <Show when={cs().overrun}> <span class="badge badge-bad">{t('birth.overrun')}</span></Show>
              <br />
              {t('retas.when', { date: d().date, start: d().startTime, end: d().endTime })} · {t('retas.expected', { n: d().expectedStudents })} · {t('retas.officersWanted', { n: d().officersWanted })}
              <br />
              <span class="muted">{fieldLabel('equipment')}: {(d().equipment ?? []).map((e) => valueLabel('equipment', e) ?? e).join(', ') || '—'}</span>
              <Show when={d().earlyMonths}><br /><span class="muted">{fieldLabel('earlyMonths')}: {d().earlyMonths}</span></Show>
            </p>
            <Show when={cs().dueAt}><p class="muted small">{dateTime(cs().dueAt!)}</p></Show>
            <Show when={d().returnReason && cs().state === 'returned'}><p class="note note-bad" data-testid="returned">{fieldLabel('returnReason')}: {d().returnReason}</p></Show>
            <Show when={isHead() && cs().onServer && sync.online()}>
              <p><a href={`/api/retas/cases/${cs().id}/memo.pdf`} target="_blank" rel="noopener" data-testid="memo">{t('retas.memo')}</a></p>
            </Show>

            <Show when={notice()}><p class="note" data-testid="notice">{notice()}</p></Show>
            <Show when={problem()}><p class="note note-bad" role="alert" data-testid="problem">{problem()}</p></Show>

            <Show when={actions().some((a) => REASON_OF[a])}>
              <label class="field"><span>{t('retas.reason')}</span><input data-testid="reason" value={reason()} onInput={(e) => setReason(e.currentTarget.value)} /></label>
            </Show>
            <div class="row">
              <For each={actions().filter((a) => !OWN_FORM.has(a))}>
                {(a) => <button class="btn" type="button" data-action={a} onClick={() => void run(a, inputOf(a))}>{lbl(actionLabel(a))}</button>}
              </For>
            </div>

            <Show when={actions().includes('forward_letter')}>
              <fieldset class="card" data-testid="officers-form">
                <legend>{t('retas.chooseOfficers')}</legend>
                <Show when={officers()?.officers.length} fallback={<p class="muted">{sync.online() ? t('retas.noOfficers') : t('retas.signOnline')}</p>}>
                  <For each={officers()!.officers}>
                    {(o) => (
                      <label class="check">
                        <input type="checkbox" data-officer={o.id} checked={chosen().includes(o.id)} onChange={(e) => setChosen(e.currentTarget.checked ? [...chosen(), o.id] : chosen().filter((x) => x !== o.id))} /> {o.name}
                      </label>
                    )}
                  </For>
                </Show>
                <button class="btn" type="button" data-action="forward_letter" onClick={() => void run('forward_letter', { officerIds: chosen() })}>{lbl(actionLabel('forward_letter'))}</button>
              </fieldset>
            </Show>

            <Show when={session.hasRole('head_of_office') && (cs().state === 'letter_drafted' || (LETTER_STATES.has(cs().state) && letter() && !letter()!.letter))}>
              <form class="form card" onSubmit={sign} data-testid="sign-form">
                <h2>{t('retas.sign')}</h2>
                <Show when={sync.online()} fallback={<p class="note note-warn">{t('retas.signOnline')}</p>}>
                  <label class="field"><span>{t('retas.password')}</span><input type="password" autocomplete="current-password" data-testid="sign-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} /></label>
                  <label class="field"><span>{t('retas.passphrase')}</span><input type="password" autocomplete="off" value={passphrase()} onInput={(e) => setPassphrase(e.currentTarget.value)} /></label>
                  <button class="btn" type="submit" data-testid="sign-submit">{t('retas.sign')}</button>
                </Show>
              </form>
            </Show>

            <Show when={letter()}>
              {(lv) => (
                <div class="card" data-testid="letter">
                  <h2>{t('retas.letter')}</h2>
                  <Show when={lv().letter}>
                    {(l) => (
                      <p>
                        {t('retas.letterNo', { no: l().no })} · {dateTime(l().signedAt)}
                        <br />
                        <a href={l().downloadUrl} data-testid="letter-pdf">{t('retas.letterPdf')}</a> · <a href={l().verifyUrl.replace(/^https?:\/\/[^/]+/, '')} data-testid="letter-verify">{t('retas.verifyLink')}</a>
                      </p>
                    )}
                  </Show>
                  <ul data-testid="acks">
                    <For each={lv().officers}>
                      {(o) => <li data-officer={o.id} data-acknowledged={o.acknowledgedAt ? 'yes' : 'no'}>{o.name}: {o.acknowledgedAt ? t('retas.acknowledged', { time: dateTime(o.acknowledgedAt) }) : t('retas.notAcknowledged')}</li>}
                    </For>
                  </ul>
                  <Show when={lv().letter && lv().officers.some((o) => o.id === session.user()?.id && !o.acknowledgedAt)}>
                    <button class="btn" type="button" data-testid="acknowledge" onClick={() => void acknowledge()}>{t('retas.acknowledge')}</button>
                  </Show>
                </div>
              )}
            </Show>

            <Show when={actions().includes('confirm_ready')}>
              <fieldset class="card" data-testid="ready-form">
                <legend>{lbl(actionLabel('confirm_ready'))}</legend>
                <label class="check"><input type="checkbox" checked={ready().officers} onChange={(e) => setReady({ ...ready(), officers: e.currentTarget.checked })} /> {fieldLabel('officersConfirmed')}</label>
                <label class="check"><input type="checkbox" checked={ready().equipment} onChange={(e) => setReady({ ...ready(), equipment: e.currentTarget.checked })} /> {fieldLabel('equipmentConfirmed')}</label>
                <button class="btn" type="button" data-action="confirm_ready" onClick={() => void run('confirm_ready', { officersConfirmed: ready().officers, equipmentConfirmed: ready().equipment })}>{lbl(actionLabel('confirm_ready'))}</button>
              </fieldset>
            </Show>

            <Show when={onLetter() && ROSTER_STATES.has(cs().state) && cs().state !== 'reported'}>
              <p><A class="btn" href={`/retas/${cs().id}/rekam`} data-testid="roster-link">{t('retas.roster')}</A></p>
            </Show>

            <Show when={roster()}>
              {(r) => (
                <div class="card" data-testid="report">
                  <h2>{t('retas.report')}</h2>
                  <p data-testid="counts">{t('retas.counts', r().counts)}</p>
                  <p><a href={`/api/retas/cases/${cs().id}/report.csv`} data-testid="report-csv">{t('retas.reportCsv')}</a> · <a href={`/api/retas/cases/${cs().id}/report.pdf`} target="_blank" rel="noopener" data-testid="report-pdf">{t('retas.reportPdf')}</a></p>
                  <Show when={actions().includes('submit_report')}>
                    <p class="muted small">{t('retas.reportFromRoster')}</p>
                    <button class="btn" type="button" data-action="submit_report" onClick={() => void run('submit_report', { ...r().counts })}>{lbl(actionLabel('submit_report'))}</button>
                  </Show>
                </div>
              )}
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
