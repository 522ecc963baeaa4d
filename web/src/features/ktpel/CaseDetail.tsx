/** One KTP-el case: state, the step's standard time and time left, history, and the actions the user's roles allow. */
import '../../i18n/staff-screens'; // this screen's texts (registered with t() when loaded)
import { A, useLocation, useParams } from '@solidjs/router';
import { For, Match, Show, Switch, createEffect, createMemo, createSignal, on } from 'solid-js';
import { RECEIPT_STATES } from '../../../../schema/receipt';
import type { Role } from '../../../../schema/roles';
import { availableActions, transition } from '../../../../schema/workflows';
import { ApiFailure, api } from '../../api';
import type { CaseView } from '../../db';
import { dateTime, duration, lbl, problemText, t, tryT } from '../../i18n';
import { focusFirstProblem, focusHeading } from '../../focus';
import { createNow } from '../../state/live';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { enqueue, upsertCase } from '../../sync/engine';
import type { LocalCase } from '../../sync/view';
import { CaseHistory } from '../../components/CaseHistory';
import { CaseBadges } from './CaseBadges';
import { actionLabel, stateLabel, stepClock, useKtpelCases, wf } from './cases';
import { enumOptions, fieldErrors, inputFields } from './validation';

/** Inputs the case screen fills itself: a card handed over from this screen was checked at the counter, not by receipt scan. */
const FIXED_INPUT: Record<string, Record<string, string>> = { collect: { via: 'counter_check' } };

export function CaseDetail() {
  const params = useParams<{ id: string }>();
  const location = useLocation<{ queued?: boolean }>();
  const session = useSession();
  const sync = useSync();
  const cases = useKtpelCases();
  const now = createNow(10_000);
  // When the server takes a new case, its create leaves the outbox and the case enters the cache in one transaction,
  // but the two live views (outbox, cache) answer one after the other: for a moment the case is in neither. Showing
  // "not found" then would rebuild the whole screen, and keyboard focus (on a confirm button, say) would fall to
  // <body>. Keep the last view of a case whose create was on its way until the cache has it.
  const c = createMemo<LocalCase | undefined>((prev) => {
    const found = cases().find((x) => x.id === params.id);
    if (found) return found;
    return prev && prev.id === params.id && prev.unsynced.some((cmd) => cmd.type === 'create') ? prev : undefined;
  });
  const [historyProblem, setHistoryProblem] = createSignal<string>();

  // History comes from the server: fetched when online, once per server version (the key changes only then,
  // not on every re-render of the case, so storing the steps does not fetch again).
  const historyKey = createMemo(() => {
    const cs = c();
    return cs?.onServer && sync.online() ? `${cs.id}@${cs.version}` : '';
  });
  createEffect(
    on(historyKey, async (key) => {
      if (!key) return;
      try {
        const res = await api<CaseView>(`/api/cases/${encodeURIComponent(params.id)}`);
        // upsertCase keeps the newer copy; the steps belong to exactly the version they came with.
        await upsertCase(res);
        setHistoryProblem(undefined);
      } catch (err) {
        if (err instanceof ApiFailure && err.problem.code !== 'network') setHistoryProblem(problemText(err.problem));
      }
    }),
  );

  return (
    <section>
      <A href="/ktpel" class="back">← {t('common.back')}</A>
      <Show when={c()} fallback={<p class="muted">{t('case.notFound')}</p>}>
        {(cs) => (
          <>
            <div class="row between">
              <h1 data-testid="case-state" data-state={cs().state}>{lbl(stateLabel(cs().state))}</h1>
              <div class="row">
                <CaseBadges c={cs()} overrun={stepClock(cs(), now()).kind === 'overrun'} />
              </div>
            </div>
            <Show when={location.state?.queued && cs().unsynced.length > 0}>
              <p class="note" role="status">{t('form.queued')}</p>
            </Show>
            <Show when={cs().needsAttention.length > 0}>
              <p class="note note-bad">
                {t('case.needsAttention')} — <A href="/outbox">{t('case.fixInOutbox')}</A>
              </p>
            </Show>

            <div class="card">
              <StepTime c={cs()} now={now()} />
            </div>

            <div class="card">
              <h2>{t('case.details')}</h2>
              <dl class="facts">
                <dt>{t('case.receipt')}</dt>
                <dd class="mono" data-testid="case-id">
                  {cs().id}
                  <Show when={RECEIPT_STATES.has(cs().state)}>
                    {' '}<A href={`/ktpel/${cs().id}/resi`} data-testid="receipt-link">{t('receipt.print')}</A>
                  </Show>
                </dd>
                <dt>{t('case.resident')}</dt>
                <dd class="mono">{cs().residentNikMasked ?? '—'}</dd>
                <Show when={typeof cs().data.reason === 'string'}>
                  <dt>{t('form.reason')}</dt>
                  <dd>{tryT(`reason.${String(cs().data.reason)}`, String(cs().data.reason))}</dd>
                </Show>
                <Show when={typeof cs().data.channel === 'string'}>
                  <dt>{t('form.channel')}</dt>
                  <dd>{tryT(`channel.${String(cs().data.channel)}`, String(cs().data.channel))}</dd>
                </Show>
                <Show when={typeof cs().data.phone === 'string'}>
                  <dt>{t('form.phone')}</dt>
                  <dd>{String(cs().data.phone)}</dd>
                </Show>
                <Show when={typeof cs().data.notes === 'string'}>
                  <dt>{t('form.notes')}</dt>
                  <dd>{String(cs().data.notes)}</dd>
                </Show>
                <dt>{t('case.created')}</dt>
                <dd>{dateTime(cs().createdAt)}</dd>
                <dt>{t('case.version')}</dt>
                <dd>{cs().onServer ? cs().version : '—'}</dd>
              </dl>
            </div>

            <Actions c={cs()} onQueued={() => sync.changed()} roles={session.user()?.roles ?? []} />

            <div class="card">
              <h2>{t('case.history')}</h2>
              <History c={cs()} />
              <Show when={!sync.online() && cs().onServer && !cs().steps}>
                <p class="muted">{t('case.historyOffline')}</p>
              </Show>
              <Show when={historyProblem()}>
                <p class="note note-bad">{historyProblem()}</p>
              </Show>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}

function StepTime(props: { c: LocalCase; now: number }) {
  const clock = () => stepClock(props.c, props.now);
  return (
    <dl class="facts" data-testid="step-time">
      <Switch>
        <Match when={clock().kind === 'final'}>
          <dt>{t('case.state')}</dt>
          <dd>{t('case.final')}</dd>
        </Match>
        <Match when={clock().kind === 'none'}>
          <dt>{t('case.started')}</dt>
          <dd>{dateTime(props.c.stepStartedAt)}</dd>
        </Match>
        <Match when={clock()}>
          {(k) => {
            const v = k() as Extract<ReturnType<typeof stepClock>, { standardMinutes: number }>;
            return (
              <>
                <dt>{t('case.standard')}</dt>
                <dd>{t('time.min', { n: v.standardMinutes })}</dd>
                <dt>{t('case.started')}</dt>
                <dd>{dateTime(props.c.stepStartedAt)}</dd>
                <dt>{t('case.timeLeft')}</dt>
                <dd data-testid="time-left" data-kind={v.kind}>
                  <Switch>
                    <Match when={v.kind === 'pending'}><span class="muted">{t('case.dueLater')}</span></Match>
                    <Match when={v.kind === 'left' && v}>{(l) => duration(l().ms)}</Match>
                    <Match when={v.kind === 'overrun' && v}>{(o) => <strong class="bad">{t('case.overrunBy', { time: duration(o().ms) })}</strong>}</Match>
                  </Switch>
                </dd>
              </>
            );
          }}
        </Match>
      </Switch>
    </dl>
  );
}

function History(props: { c: LocalCase }) {
  const session = useSession();
  return (
    <CaseHistory
      c={props.c}
      testId="history"
      actionLabel={actionLabel}
      stateLabel={stateLabel}
      createAction="submit"
      actorName={(s) => (s.actor === `staff:${session.user()?.id}` ? session.user()?.displayName : null)}
    />
  );
}

function Actions(props: { c: LocalCase; roles: readonly Role[]; onQueued: () => void }) {
  const actions = () => availableActions(wf, props.c.state, props.roles);
  // Kept here, not in the form: the form of a done step disappears with the state it belonged to.
  const [done, setDone] = createSignal<string>();
  const synced = () => props.c.unsynced.length === 0;
  return (
    <div class="card">
      <h2>{t('case.actions')}</h2>
      <Show when={done()}>
        {(action) => (
          <p class="note note-good" role="status" data-testid="action-done" data-action={action()} data-synced={String(synced())}>
            ✓ {t('case.actionDone', { action: lbl(wf.actions[action() as keyof typeof wf.actions].label) })}{' '}
            {synced() ? t('case.actionSynced') : t('case.actionQueued')}
          </p>
        )}
      </Show>
      <Show when={actions().length > 0} fallback={<p class="muted">{t('case.noActions')}</p>}>
        <div class="actions">
          <For each={actions()}>
            {(name) => (
              <ActionForm
                c={props.c}
                action={name}
                onQueued={() => {
                  setDone(name);
                  props.onQueued();
                }}
              />
            )}
          </For>
        </div>
      </Show>
    </div>
  );
}

/** The one irreversible step a confirmation is open for (`caseId:action`), if any. */
const [askingFor, setAskingFor] = createSignal<string>();
/** The action forms with inputs that are open (`caseId:action`). */
const [openFor, setOpenFor] = createSignal<ReadonlySet<string>>(new Set());

/** One SOP action's form on a case (inputs checked offline by the table's own schema, then queued in the outbox). */
export function ActionForm(props: { c: LocalCase; action: string; onQueued: () => void }) {
  const session = useSession();
  const def = () => wf.actions[props.action as keyof typeof wf.actions];
  const fixed = () => FIXED_INPUT[props.action] ?? {};
  const fields = () => inputFields(def().input).filter((f) => !(f in fixed()));
  // Like the confirmation: an open form survives a re-render of the case (a pull landing while the clerk types).
  const open = () => openFor().has(confirmKey());
  const setOpen = (on: boolean) =>
    setOpenFor((m) => {
      const next = new Set(m);
      if (on) next.add(confirmKey());
      else next.delete(confirmKey());
      return next;
    });
  // A step without inputs would act on one click and cannot be undone: the first click asks. Held outside the form
  // (keyed by case and action) so a re-render of the case while the question is open does not drop it.
  const confirmKey = () => `${props.c.id}:${props.action}`;
  const confirming = () => askingFor() === confirmKey();
  const setConfirming = (on: boolean) => setAskingFor(on ? confirmKey() : undefined);
  const [values, setValues] = createSignal<Record<string, string>>({});
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  let form!: HTMLFormElement;

  async function run(e?: SubmitEvent) {
    e?.preventDefault();
    const user = session.user();
    if (!user) return;
    if (fields().length > 0 && !open()) {
      setOpen(true);
      form.querySelector<HTMLElement>('input')?.focus(); // the fields just opened: type there next
      return;
    }
    if (fields().length === 0 && !confirming()) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    // Empty optional fields are left out rather than sent as "" (an optional enum would refuse it).
    const input = { ...Object.fromEntries(fields().flatMap((f) => ((values()[f] ?? '').trim() ? [[f, (values()[f] ?? '').trim()]] : []))), ...fixed() };
    const verdict = transition(wf, props.c.state, props.action, user.roles, input);
    if (!verdict.ok) {
      setErrors(verdict.code === 'validation_failed' ? fieldErrors(def().input, input) : { _: problemText({ code: verdict.code, status: 409 }) });
      focusFirstProblem(form);
      return;
    }
    await enqueue({
      type: 'action',
      caseId: props.c.id,
      service: wf.service,
      action: props.action,
      baseVersion: props.c.version,
      input: verdict.input as Record<string, unknown>,
      userId: user.id,
      username: user.username,
      officeCode: user.officeCode,
    });
    setValues({});
    setErrors({});
    setOpen(false);
    props.onQueued();
    // The step changed the case (and removed this button): continue at its new state.
    focusHeading();
  }

  return (
    <form class="action" ref={form} onSubmit={run} data-testid={`action-${props.action}`}>
      <Show when={open()}>
        <For each={fields()}>
          {(f) => (
            <label class="field" classList={{ 'has-error': !!errors()[f] }}>
              <span>{tryT(`field.${f}`, f)}</span>
              <Show
                when={enumOptions(def().input, f)}
                fallback={<input name={f} value={values()[f] ?? ''} onInput={(e) => setValues({ ...values(), [f]: e.currentTarget.value })} aria-invalid={!!errors()[f]} aria-describedby={errors()[f] ? `${props.action}-${f}-error` : undefined} />}
              >
                {(options) => (
                  <select name={f} value={values()[f] ?? ''} onChange={(e) => setValues({ ...values(), [f]: e.currentTarget.value })} aria-invalid={!!errors()[f]} aria-describedby={errors()[f] ? `${props.action}-${f}-error` : undefined}>
                    <option value="">—</option>
                    <For each={options()}>{(o) => <option value={o}>{tryT(`spoil.${o}`, o)}</option>}</For>
                  </select>
                )}
              </Show>
              <Show when={errors()[f]}><small class="error" id={`${props.action}-${f}-error`}>{errors()[f]}</small></Show>
            </label>
          )}
        </For>
      </Show>
      <Show when={errors()._}><small class="error" role="alert">{errors()._}</small></Show>
      <Show when={confirming()}>
        <p class="note note-warn" role="alert" data-testid="action-confirm">
          {tryT(`case.confirm.${props.action}`, '')} {t('case.confirmIrreversible', { action: lbl(def().label) })}
        </p>
      </Show>
      <div class="row">
        <button class={`btn ${props.action === 'return_incomplete' ? 'btn-danger' : 'btn-primary'}`} type="submit" data-testid={confirming() ? 'action-confirm-yes' : undefined}>
          {confirming() ? t('case.confirmYes', { action: lbl(def().label) }) : lbl(def().label)}
        </button>
        <Show when={open() || confirming()}>
          <button
            class="btn"
            type="button"
            onClick={() => {
              setOpen(false);
              setConfirming(false);
              // The question closes with this button: focus returns to the step's own button.
              form.querySelector<HTMLElement>('button[type=submit]')?.focus();
            }}
          >
            {t('staff.cancel')}
          </button>
        </Show>
      </div>
    </form>
  );
}
