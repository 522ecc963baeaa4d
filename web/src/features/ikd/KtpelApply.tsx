/**
 * A resident with an active IKD applies for a KTP-el from their phone and follows each step with its standard time
 * (SPEC C). The form is a draft on this phone from the first key pressed, so it survives no signal, a reload and a
 * closed browser; "Kirim" sends it once the phone is online (the command id is made with the draft, so sending twice
 * is one application). The applications list is the resident's own change feed, kept for offline viewing.
 */
import { A } from '@solidjs/router';
import { For, Show, createSignal, onCleanup, onMount } from 'solid-js';
import { api, problemFromError } from '../../api';
import type { CaseView, UiProblem } from '../../db';
import { dateTime, duration, lbl, problemText, t, tryT } from '../../i18n';
import { focusHeading } from '../../focus';
import { createNow } from '../../state/live';
import { uuidv7 } from '../../sync/uuidv7';
import { KtpelSubmitInput } from '../../../../schema/workflows/ktpel';
import { workflowOf } from '../../../../schema/workflows';
import { fieldErrors } from '../ktpel/validation';
import { type KtpelDraft, loadDraft, loadKnownCases, saveDraft, saveKnownCases } from './ktpel-local';
import { useResident } from './resident';

const REASONS = ['baru', 'hilang', 'rusak', 'perubahan_data'] as const;
/** The steps a resident follows, in order (a returned application is shown only while it is returned). */
const PATH = ['submitted', 'accepted', 'printing', 'ready', 'collected'] as const;
const wf = workflowOf('ktpel')!;

type PushAnswer = { results: { commandId: string; status: string; problem?: { code: string; status: number; detail?: string }; case?: CaseView }[] };

export function KtpelApply() {
  const resident = useResident();
  const now = createNow(30_000);
  const [draft, setDraft] = createSignal<KtpelDraft>();
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [problem, setProblem] = createSignal<UiProblem>();
  const [sending, setSending] = createSignal(false);
  const [cases, setCases] = createSignal<{ cases: CaseView[]; fetchedAt: number }>();
  const [online, setOnline] = createSignal(navigator.onLine);
  const [sent, setSent] = createSignal<string>();

  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryIn = 0;
  const fresh = (): KtpelDraft => ({ commandId: uuidv7(), caseId: uuidv7(), reason: '', phone: '', notes: '', waiting: false, updatedAt: Date.now() });

  async function refreshCases() {
    try {
      const feed = await api<{ cases: CaseView[] }>('/api/sync/pull?cursor=0&limit=200');
      const mine = { cases: feed.cases.filter((c) => c.service === 'ktpel').sort((a, b) => b.createdAt - a.createdAt), fetchedAt: Date.now() };
      setCases(mine);
      await saveKnownCases(mine);
    } catch {
      // Offline or signed out: the last copy stays on screen with its age.
    }
  }

  /** Sends the waiting draft; offline it stays waiting and goes when the phone is back online. */
  async function send() {
    const d = draft();
    if (!d?.waiting || sending() || !navigator.onLine) return;
    setSending(true);
    try {
      const input = inputOf(d);
      const answer = await api<PushAnswer>('/api/sync/push', { method: 'POST', body: { commands: [{ id: d.commandId, type: 'create', caseId: d.caseId, service: 'ktpel', input }] } });
      const r = answer.results[0];
      retryIn = 0;
      if (r && (r.status === 'applied' || r.status === 'duplicate')) {
        const next = fresh();
        setDraft(next);
        await saveDraft(undefined);
        setProblem(undefined);
        setSent(d.caseId);
        await refreshCases();
        focusHeading();
        return;
      }
      // Refused: the application is the resident's to correct; a new command id, since the server remembers this one's refusal.
      const back = { ...d, waiting: false, commandId: uuidv7(), updatedAt: Date.now() };
      setDraft(back);
      await saveDraft(back);
      setProblem(r?.problem ? { code: r.problem.code, status: r.problem.status, detail: r.problem.detail } : { code: 'internal', status: 500 });
    } catch (err) {
      const p = problemFromError(err);
      // Refused outright (a 4xx): said, and the draft stays editable. No signal or a server hiccup: it stays
      // waiting and is tried again, sooner first (and at once when the phone reports it is back online).
      if (p.code !== 'network' && p.status < 500 && p.status !== 429 && p.status !== 408) {
        const back = { ...d, waiting: false, updatedAt: Date.now() };
        setDraft(back);
        await saveDraft(back);
        setProblem(p);
      } else {
        retryIn = Math.min((retryIn || 2500) * 2, 60_000);
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => void send(), retryIn);
      }
    } finally {
      setSending(false);
    }
  }

  const onOnline = () => {
    setOnline(true);
    void send().then(refreshCases);
  };
  const onOffline = () => setOnline(false);
  onMount(async () => {
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    setDraft((await loadDraft()) ?? fresh());
    const known = await loadKnownCases();
    if (known) setCases(known);
    void resident.refresh();
    await send();
    await refreshCases();
  });
  onCleanup(() => {
    clearTimeout(retryTimer);
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
  });

  function inputOf(d: KtpelDraft): Record<string, string> {
    const input: Record<string, string> = { nik: resident.nik() ?? '', reason: d.reason, channel: 'online' };
    if (d.phone.trim()) input.phone = d.phone.replace(/[\s-]/g, '');
    if (d.notes.trim()) input.notes = d.notes.trim();
    return input;
  }

  async function update(field: 'reason' | 'phone' | 'notes', value: string) {
    const d = { ...(draft() ?? fresh()), [field]: value, updatedAt: Date.now() };
    setDraft(d);
    setSent(undefined);
    if (errors()[field]) setErrors({ ...errors(), [field]: '' });
    await saveDraft(d);
  }

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const d = draft();
    if (!d) return;
    setProblem(undefined);
    const errs = fieldErrors(KtpelSubmitInput, inputOf(d));
    setErrors(errs);
    // The NIK is the signed-in resident's own, remembered at sign-in: without it, sign in again.
    if (errs.nik) setProblem({ code: 'unauthenticated', status: 401 });
    if (Object.keys(errs).length) {
      (e.currentTarget as HTMLFormElement).querySelector<HTMLElement>('[aria-invalid=true]')?.focus();
      return;
    }
    const waiting = { ...d, waiting: true, updatedAt: Date.now() };
    setDraft(waiting);
    await saveDraft(waiting);
    await send();
  }

  const active = () => resident.me()?.account?.status === 'active';

  return (
    <section data-testid="ktpel-apply">
      <p><A href="/ikd/akun">← {t('ikd.account')}</A></p>
      <h1 tabindex="-1">{t('rktpel.title')}</h1>
      <p class="muted">{t('rktpel.lead')}</p>
      <Show when={resident.status() === 'signed_out'}>
        <p class="note note-warn" role="alert">{t('rktpel.signIn')} <A href="/ikd/masuk">{t('ikd.signIn')}</A></p>
      </Show>
      <Show when={sent()}>
        <p class="note note-good" role="status" data-testid="rktpel-sent">✓ {t('rktpel.sent')}</p>
      </Show>
      <Show when={draft()}>
        {(d) => (
          <Show
            when={resident.me() === undefined || active()}
            fallback={<p class="note" data-testid="rktpel-needs-ikd">{t('rktpel.needsIkd')}</p>}
          >
            <form class="card" onSubmit={(e) => void submit(e)} noValidate data-testid="rktpel-form">
              <fieldset class="field" classList={{ 'has-error': !!errors().reason }} disabled={d().waiting}>
                <legend>{t('form.reason')}</legend>
                <For each={REASONS}>
                  {(r) => (
                    <label class="choice">
                      <input type="radio" name="reason" value={r} checked={d().reason === r} onChange={() => void update('reason', r)}
                        aria-invalid={!!errors().reason} aria-describedby={errors().reason ? 'rktpel-reason-error' : undefined} />
                      {tryT(`reason.${r}`, r)}
                    </label>
                  )}
                </For>
                <Show when={errors().reason}><small class="error" id="rktpel-reason-error">{errors().reason}</small></Show>
              </fieldset>
              <label class="field" classList={{ 'has-error': !!errors().phone }}>
                <span>{t('form.phone')}</span>
                <input name="phone" type="tel" inputmode="tel" autocomplete="tel" value={d().phone} disabled={d().waiting}
                  onInput={(e) => void update('phone', e.currentTarget.value)} aria-invalid={!!errors().phone} aria-describedby={errors().phone ? 'rktpel-phone-error' : undefined} />
                <small class="muted">{t('rktpel.phoneHint')}</small>
                <Show when={errors().phone}><small class="error" id="rktpel-phone-error">{errors().phone}</small></Show>
              </label>
              <label class="field" classList={{ 'has-error': !!errors().notes }}>
                <span>{t('form.notes')}</span>
                <textarea name="notes" rows="3" maxlength="500" value={d().notes} disabled={d().waiting}
                  onInput={(e) => void update('notes', e.currentTarget.value)} aria-invalid={!!errors().notes} />
                <Show when={errors().notes}><small class="error">{errors().notes}</small></Show>
              </label>
              <Show when={problem()}>{(p) => <p class="note note-bad" role="alert" data-testid="rktpel-problem">{problemText(p())}</p>}</Show>
              <Show
                when={d().waiting}
                fallback={
                  <>
                    <p class="small muted" role="status" data-testid="rktpel-draft-saved">{t('rktpel.draftSaved')}</p>
                    <button class="btn btn-primary" type="submit" data-testid="rktpel-submit">{t('rktpel.submit')}</button>
                  </>
                }
              >
                <p class="note" role="status" data-testid="rktpel-waiting">
                  {online() ? t('rktpel.sending') : t('rktpel.waitingSignal')}
                </p>
              </Show>
            </form>
          </Show>
        )}
      </Show>

      <h2>{t('rktpel.mine')}</h2>
      <Show when={cases()} fallback={<p class="muted">{online() ? t('rktpel.loading') : t('rktpel.noCopy')}</p>}>
        {(list) => (
          <>
            <Show when={!online()}>
              <p class="small muted" data-testid="rktpel-copy-age">{t('rktpel.copyFrom', { at: dateTime(list().fetchedAt) })}</p>
            </Show>
            <Show when={list().cases.length} fallback={<p class="muted" data-testid="rktpel-none">{t('rktpel.none')}</p>}>
              <For each={list().cases}>{(c) => <Application c={c} now={now()} />}</For>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}

/** One application: its steps in order, each with its standard time; the current one with its due time. */
function Application(props: { c: CaseView; now: number }) {
  const steps = () => (props.c.state === 'returned' ? ['submitted', 'returned', ...PATH.slice(1)] : [...PATH]);
  const reached = (s: string) => steps().indexOf(s) <= steps().indexOf(props.c.state);
  return (
    <article class="card" data-testid="rktpel-case" data-state={props.c.state} data-case={props.c.id}>
      <h3>{tryT(`reason.${String(props.c.data.reason ?? '')}`, String(props.c.data.reason ?? ''))} · <span class="mono small">{props.c.id.slice(0, 8)}</span></h3>
      <ol class="steps">
        <For each={steps()}>
          {(s) => {
            const state = wf.states[s];
            const current = () => s === props.c.state;
            return (
              <li classList={{ done: reached(s) && !current(), current: current() }} aria-current={current() ? 'step' : undefined} data-step={s}>
                <strong>{state ? lbl(state.label) : s}</strong>
                <Show when={state?.standardMinutes !== undefined}>
                  {' '}<span class="muted small">({t('rktpel.standard', { time: t('time.min', { n: state!.standardMinutes ?? 0 }) })})</span>
                </Show>
                <Show when={current() && props.c.dueAt}>
                  {(due) => (
                    <div class="small" data-testid="rktpel-due">
                      {t('rktpel.due', { at: dateTime(due(), props.c.officeCode) })}{' '}
                      <Show when={props.c.overrun || props.now > due()} fallback={<span class="muted">({t('case.timeLeft')}: {duration(due() - props.now)})</span>}>
                        <strong class="bad">{t('case.overrunBy', { time: duration(props.now - due()) })}</strong>
                      </Show>
                    </div>
                  )}
                </Show>
                <Show when={current() && s === 'returned' && props.c.data.returnReason}>
                  <p class="note note-warn">{t('rktpel.returned', { reason: String(props.c.data.returnReason) })}</p>
                </Show>
              </li>
            );
          }}
        </For>
      </ol>
    </article>
  );
}
