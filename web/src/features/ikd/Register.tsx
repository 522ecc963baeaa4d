/**
 * "Daftar IKD": NIK, KK number, mother's maiden name, email, phone and the route (counter or video call). Saved as a
 * draft on every keystroke (survives reload and no signal); sent when online, automatically if it was queued
 * offline. The answer says only "cocok / tidak cocok", or why the resident is not eligible.
 */
import { A, useNavigate } from '@solidjs/router';
import { For, Match, Show, Switch, createSignal, onCleanup, onMount } from 'solid-js';
import { IkdRegisterRequest } from '../../../../schema/contracts/ikd';
import { INELIGIBLE_MESSAGES, type IneligibleReason } from '../../../../schema/ikd-rules';
import { problemFromError } from '../../api';
import { type Draft, type UiProblem, db } from '../../db';
import { lbl, problemText, relative, t } from '../../i18n';
import { uuidv7 } from '../../sync/uuidv7';
import { fieldErrors, idNumberErrors } from '../ktpel/validation';
import { ikdApi } from './api';
import { useResident } from './resident';

/** One registration draft per phone: the form belongs to whoever holds it, not to a signed-in user. */
export const REGISTER_DRAFT_ID = 'ikd-register';
const RESIDENT_DEVICE = 'resident-device';

type Fields = {
  nik: string;
  kkNumber: string;
  motherMaidenName: string;
  email: string;
  phone: string;
  route: 'counter' | 'video';
  /** made at the first send and kept, so a retry is the same registration (idempotent on the server) */
  caseId: string;
  commandId: string;
  /** '1' when the resident pressed send without a connection */
  queued: string;
};
const EMPTY: Fields = { nik: '', kkNumber: '', motherMaidenName: '', email: '', phone: '', route: 'counter', caseId: '', commandId: '', queued: '' };

/** What the registry check answered, as the resident may see it. */
export type MatchAnswer =
  | { kind: 'mismatch' }
  | { kind: 'not_eligible'; reasons: IneligibleReason[] }
  | { kind: 'case_open' }
  | { kind: 'problem'; problem: UiProblem };

/** Maps a refusal of /register or /resume to what the resident is told (never which field differed). */
export function matchAnswerOf(p: UiProblem): MatchAnswer {
  if (p.code === 'identity_mismatch') return { kind: 'mismatch' };
  if (p.code === 'not_eligible') {
    // The server names every failed condition in `reasons` (and the first in `reason`).
    const reasons = (p.reasons ?? [p.reason]).filter((r): r is IneligibleReason => r === 'under_17' || r === 'ektp_not_recorded');
    return { kind: 'not_eligible', reasons };
  }
  if (p.code === 'ikd_case_open') return { kind: 'case_open' };
  return { kind: 'problem', problem: p };
}

export function MatchAnswerNote(props: { answer: MatchAnswer }) {
  return (
    <Switch>
      <Match when={props.answer.kind === 'mismatch'}>
        <div class="note note-bad" role="alert" data-testid="match-result" data-match="false">
          <strong>{t('ikd.match.no')}</strong>
          <p>{t('ikd.match.noHint')}</p>
        </div>
      </Match>
      <Match when={props.answer.kind === 'not_eligible' && props.answer}>
        {(a) => (
          <div class="note note-bad" role="alert" data-testid="match-result" data-match="true" data-eligible="false">
            <strong>{t('ikd.match.ok')}</strong> {t('ikd.notEligible')}
            <ul>
              <For each={(a() as { reasons: IneligibleReason[] }).reasons}>{(r) => <li data-reason={r}>{lbl(INELIGIBLE_MESSAGES[r])}</li>}</For>
            </ul>
          </div>
        )}
      </Match>
      <Match when={props.answer.kind === 'case_open'}>
        <div class="note note-warn" role="alert" data-testid="match-result" data-match="true" data-open="true">
          {t('ikd.caseOpen')} <A href="/ikd/lanjut">{t('ikd.resume')}</A>
        </div>
      </Match>
      <Match when={props.answer.kind === 'problem' && props.answer}>
        {(a) => (
          <p class="note note-bad" role="alert" data-testid="match-problem" data-code={(a() as { problem: UiProblem }).problem.code}>
            {problemText((a() as { problem: UiProblem }).problem)}
          </p>
        )}
      </Match>
    </Switch>
  );
}

export function Register() {
  const resident = useResident();
  const navigate = useNavigate();
  const [fields, setFields] = createSignal<Fields>({ ...EMPTY });
  const [savedAt, setSavedAt] = createSignal<number>();
  const [restored, setRestored] = createSignal(false);
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [answer, setAnswer] = createSignal<MatchAnswer>();
  const [busy, setBusy] = createSignal(false);
  const [online, setOnline] = createSignal(navigator.onLine);

  async function save(next: Fields) {
    // The mother's maiden name stays on the phone only while a registration waits for a signal (it must be sent);
    // a draft being typed keeps it in memory only.
    const kept = next.queued === '1' ? next : { ...next, motherMaidenName: '' };
    const draft: Draft = { id: REGISTER_DRAFT_ID, service: 'ikd', kind: 'create', userId: RESIDENT_DEVICE, fields: kept, updatedAt: Date.now() };
    await db.drafts.put(draft);
    setSavedAt(draft.updatedAt);
  }

  const onOnline = () => {
    setOnline(true);
    if (fields().queued === '1') void send();
  };
  const onOffline = () => setOnline(false);
  onMount(async () => {
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    const draft = await db.drafts.get(REGISTER_DRAFT_ID);
    if (draft) {
      setFields({ ...EMPTY, ...(draft.fields as Partial<Fields>) });
      setSavedAt(draft.updatedAt);
      setRestored(true);
      if (draft.fields.queued === '1' && navigator.onLine) void send();
    }
  });
  onCleanup(() => {
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
  });

  function update<K extends keyof Fields>(key: K, value: Fields[K]) {
    const next = { ...fields(), [key]: value };
    setFields(next);
    if (errors()[key]) setErrors({ ...errors(), [key]: '' });
    void save(next);
  }

  function request(f: Fields) {
    return {
      nik: f.nik.trim(),
      kkNumber: f.kkNumber.trim(),
      motherMaidenName: f.motherMaidenName.trim(),
      email: f.email.trim(),
      phone: f.phone.replace(/[\s-]/g, ''),
      route: f.route,
      caseId: f.caseId,
      commandId: f.commandId,
    };
  }

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    let f = fields();
    if (!f.caseId || !f.commandId) f = { ...f, caseId: uuidv7(), commandId: uuidv7() };
    // The same contract the server validates with, checked here first (also offline).
    const body = request(f);
    const parsed = IkdRegisterRequest.safeParse(body);
    const idErrors = await idNumberErrors(body, { nik: ['nik'], kk: ['kkNumber'] });
    if (!parsed.success || Object.keys(idErrors).length > 0) {
      setErrors({ ...fieldErrors(IkdRegisterRequest, body), ...idErrors });
      return;
    }
    setErrors({});
    if (!navigator.onLine) {
      f = { ...f, queued: '1' };
      setFields(f);
      await save(f);
      setAnswer(undefined);
      return;
    }
    setFields(f);
    await save(f);
    await send();
  }

  async function send() {
    if (busy()) return;
    const f = fields();
    setBusy(true);
    setAnswer(undefined);
    try {
      await ikdApi.register(request(f));
      await resident.rememberNik(f.nik.trim());
      // Registered: the draft (with the maiden name in it) leaves this phone.
      await db.drafts.delete(REGISTER_DRAFT_ID);
      await resident.refresh();
      navigate('/ikd/akun', { state: { matched: true } });
    } catch (err) {
      const p: UiProblem = problemFromError(err);
      if (p.code === 'network') {
        // Lost the connection on the way: keep it queued for the next 'online'.
        const next = { ...fields(), queued: '1' };
        setFields(next);
        await save(next);
        return;
      }
      // Answered: no longer queued; the resident corrects and sends again (a new attempt, new ids).
      const next = { ...fields(), queued: '', caseId: '', commandId: '' };
      setFields(next);
      await save(next);
      setAnswer(matchAnswerOf(p));
    } finally {
      setBusy(false);
    }
  }

  const err = (k: keyof Fields) => errors()[k] || undefined;
  const textField = (key: 'nik' | 'kkNumber' | 'motherMaidenName' | 'email' | 'phone', label: string, opts: { hint?: string; digits?: boolean; type?: string; autocomplete?: string } = {}) => (
    <label class="field" classList={{ 'has-error': !!err(key) }}>
      <span>{label}</span>
      <input
        name={key}
        type={opts.type ?? 'text'}
        inputmode={opts.digits ? 'numeric' : opts.type === 'tel' ? 'tel' : opts.type === 'email' ? 'email' : undefined}
        maxlength={opts.digits ? 16 : 254}
        autocomplete={opts.autocomplete ?? 'off'}
        value={fields()[key]}
        onInput={(e) => update(key, opts.digits ? e.currentTarget.value.replace(/\D/g, '') : e.currentTarget.value)}
        aria-invalid={!!err(key)}
      />
      <Show when={opts.hint}><small class="muted">{opts.hint}</small></Show>
      <Show when={err(key)}><small class="error" data-testid={`error-${key}`}>{err(key)}</small></Show>
    </label>
  );

  return (
    <section class="card">
      <A href="/ikd" class="back">← {t('common.back')}</A>
      <h1>{t('ikd.register')}</h1>
      <p class="muted">{t('ikd.requirements')}</p>
      <Show when={restored()}>
        <p class="note" data-testid="draft-restored">{t('form.draftRestored')}</p>
      </Show>
      <form class="form" onSubmit={submit} novalidate data-testid="ikd-register-form">
        {textField('nik', t('ikd.form.nik'), { hint: t('form.nikHint'), digits: true })}
        {textField('kkNumber', t('ikd.form.kk'), { hint: t('ikd.form.kkHint'), digits: true })}
        {textField('motherMaidenName', t('ikd.form.mother'), { hint: t('ikd.form.motherHint') })}
        {textField('email', t('ikd.form.email'), { hint: t('ikd.form.emailHint'), type: 'email', autocomplete: 'email' })}
        {textField('phone', t('ikd.form.phone'), { hint: t('form.phoneHint'), type: 'tel', autocomplete: 'tel' })}
        <fieldset class="field">
          <legend>{t('ikd.form.route')}</legend>
          <div class="choices">
            <For each={['counter', 'video'] as const}>
              {(r) => (
                <label class="choice">
                  <input type="radio" name="route" value={r} checked={fields().route === r} onChange={() => update('route', r)} />
                  <span>
                    {t(`ikd.route.${r}`)}
                    <br />
                    <small class="muted">{t(r === 'counter' ? 'ikd.route.counterHint' : 'ikd.route.videoHint')}</small>
                  </span>
                </label>
              )}
            </For>
          </div>
        </fieldset>
        <Show when={fields().queued === '1' && !busy()}>
          <p class="note note-warn" role="status" data-testid="register-queued">{t('ikd.form.queuedOffline')}</p>
        </Show>
        <Show when={answer()}>{(a) => <MatchAnswerNote answer={a()} />}</Show>
        <div class="row">
          <button class="btn btn-primary" type="submit" disabled={busy()} data-testid="ikd-register-submit">
            {busy() ? t('ikd.form.checking') : t('ikd.form.submit')}
          </button>
          <Show when={savedAt()}>
            {(at) => <small class="muted" data-testid="draft-saved">{t('form.draftSaved', { time: relative(at()) })}</small>}
          </Show>
        </div>
        <small class="muted">{t('ikd.form.draftNote')}</small>
        <Show when={!online()}><small class="muted">{t('net.offlineHint')}</small></Show>
      </form>
    </section>
  );
}
