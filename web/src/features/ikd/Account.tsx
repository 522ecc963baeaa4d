/**
 * The resident's IKD account: the case and the standard time of its current step, what to do next (counter visit or
 * video-call booking, device binding, activation email), "lepas perangkat" and PIN change with the PIN, devices, and
 * the history of sign-ins and device events. Works offline from the last copy.
 */
import { A, useLocation, useNavigate } from '@solidjs/router';
import { For, Match, Show, Switch, createEffect, createResource, createSignal, onCleanup, onMount } from 'solid-js';
import { api, problemFromError } from '../../api';
import type { CaseView, UiProblem } from '../../db';
import { peekDeviceKey } from '../../device';
import { dateTime, duration, lbl, problemText, ago, t, tryT } from '../../i18n';
import { kt } from '../ktp/texts';
import { describeInput } from '../../i18n/fields';
import { createNow } from '../../state/live';
import { uuidv7 } from '../../sync/uuidv7';
import type { IkdMe } from './api';
import { ikdApi } from './api';
import { Binding } from './Binding';
import { PinInput, PinPolicy } from './PinPolicy';
import { pinVerdict } from './pin';
import { useResident, whyEnded } from './resident';
import { Slots } from './Slots';

/** Waiting states: the operator moves the case on, so the screen asks the server again every few seconds. */
const FOLLOWED = new Set(['registered', 'scheduled', 'verified', 'bound', 'approved']);
const POLL_MS = 4000;
const BINDING_STATES = new Set(['registered', 'scheduled', 'verified']);

type IkdCase = NonNullable<IkdMe['case']>;

export function Account() {
  const resident = useResident();
  const navigate = useNavigate();
  const location = useLocation<{ matched?: boolean }>();
  const now = createNow(5000);
  const [online, setOnline] = createSignal(navigator.onLine);
  // Which listed device is this phone: read again whenever the device list changes (binding makes the key).
  const [key] = createResource(() => `devices:${resident.me()?.devices.map((d) => d.thumbprint).join(',') ?? ''}`, () => peekDeviceKey());

  const onOnline = () => {
    setOnline(true);
    void resident.refresh();
  };
  const onOffline = () => setOnline(false);
  onMount(async () => {
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    const status = await resident.refresh();
    // Not silently: say why the account closed (blocked or released phone, or a session that ended).
    if (status === 'signed_out') navigate('/ikd', { replace: true, state: { ended: await whyEnded() } });
  });
  const poll = setInterval(() => {
    const state = resident.me()?.case?.state;
    if (online() && document.visibilityState === 'visible' && state && FOLLOWED.has(state)) void resident.refresh();
  }, POLL_MS);
  onCleanup(() => {
    clearInterval(poll);
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
  });

  async function signOut() {
    await resident.signOut();
    navigate('/ikd', { replace: true, state: { signedOut: true } });
  }

  return (
    <section data-testid="ikd-account">
      <div class="row between">
        <h1>{t('ikd.account')}</h1>
        <button class="btn btn-quiet" type="button" onClick={() => void signOut()} data-testid="ikd-sign-out">{t('ikd.signOut')}</button>
      </div>
      <Show when={location.state?.matched}>
        <p class="note" role="status" data-testid="match-result" data-match="true">✓ {t('ikd.match.ok')}</p>
      </Show>
      <Show when={resident.status() === 'offline' && resident.fetchedAt()}>
        {(at) => <p class="note note-warn">{t('ikd.cachedAt', { time: ago(at(), now()) })}</p>}
      </Show>
      <Show when={resident.me()} fallback={<p class="muted">{t('common.loading')}</p>}>
        {(me) => (
          <>
            <p class="muted">
              <strong>{me().resident.name}</strong> · <span class="mono">{me().resident.nikMasked}</span> · {me().resident.officeName}
            </p>
            <p class="small">
              <span class="pill" data-testid="assurance" data-assurance={me().assurance ?? ''}>
                {me().assurance === 'full' ? t('ikd.assurance.full') : t('ikd.assurance.registration')}
              </span>
            </p>
            <Show when={me().case} fallback={<p class="muted">{t('ikd.noCase')} <A href="/ikd/daftar">{t('ikd.register')}</A></p>}>
              {(c) => (
                <>
                  <CaseStatus me={me()} c={c()} now={now()} />
                  {/* A counter-route resident may still switch to a video call by booking one. */}
                  <Show when={c().state === 'registered' || c().state === 'scheduled'}>
                    <Slots me={me()} online={online()} onChanged={() => void resident.refresh()} />
                  </Show>
                  <Show when={c().state === 'rejected' || c().state === 'released'}>
                    <p><A href="/ikd/daftar" class="btn btn-primary">{t('ikd.register')}</A></p>
                  </Show>
                  <Show when={BINDING_STATES.has(c().state)}>
                    <Binding me={me()} caseId={c().id} state={c().state} onBound={() => void resident.refresh()} />
                  </Show>
                  <Show when={c().state === 'active'}>
                    <Show when={me().assurance === 'full'} fallback={<p class="note">{t('ikd.needFull')} <A href="/ikd/masuk">{t('ikd.signIn')}</A></p>}>
                      <p><A href="/ktp" class="btn btn-primary" data-testid="ktp-link">{kt('ktp.title')}</A></p>
                      <p><A href="/ikd/akun/ktpel" class="btn" data-testid="rktpel-link">{t('rktpel.title')}</A></p>
                      <ChangePin nik={resident.nik()} />
                      <Release caseId={c().id} onReleased={async () => {
                        await resident.afterRelease();
                        navigate('/ikd', { replace: true, state: { released: true } });
                      }} />
                    </Show>
                  </Show>
                </>
              )}
            </Show>
            <Devices me={me()} thumbprint={key()?.thumbprint} />
            <History me={me()} />
          </>
        )}
      </Show>
    </section>
  );
}

function CaseStatus(props: { me: IkdMe; c: IkdCase; now: number }) {
  const state = () => props.c.state;
  const step = () => props.c.currentStep;
  const route = () => (props.c.data.route === 'video' ? 'video' : 'counter');
  // The reject message went to the resident by email/WhatsApp; the case history holds it too.
  const [rejection] = createResource(
    () => (state() === 'rejected' ? props.c.id : undefined),
    async (id) => {
      const view = await api<CaseView>(`/api/cases/${encodeURIComponent(id)}`);
      const step = [...(view.steps ?? [])].reverse().find((s) => s.action === 'reject');
      return step?.input as { reasonCode?: string; message?: string } | undefined;
    },
  );
  return (
    <div class="card" data-testid="ikd-status" data-state={state()} data-version={props.c.version}>
      <h2>{t('ikd.status')}</h2>
      <p>
        <strong data-testid="ikd-state">{lbl(step().label)}</strong>
      </p>
      <p data-testid="ikd-next">
        <Switch>
          <Match when={state() === 'registered'}>
            {route() === 'video' ? t('ikd.waiting.registered.video') : t('ikd.waiting.registered.counter', { office: props.me.resident.officeName })}
          </Match>
          <Match when={state() === 'approved'}>{t('ikd.waiting.approved', { email: String(props.c.data.activationSentTo ?? '') })}</Match>
          <Match when={true}>{tryT(`ikd.waiting.${state()}`, '')}</Match>
        </Switch>
      </p>
      <Show when={state() === 'rejected' && rejection()}>
        {(r) => (
          <p class="note note-bad" data-testid="reject-message">
            {t('ikd.rejectedReason')}: {tryT(`op.reject.reason.${r().reasonCode ?? ''}`, r().reasonCode ?? '')} — {r().message}
          </p>
        )}
      </Show>
      <dl class="facts" data-testid="ikd-step-time">
        <dt>{t('ikd.caseNo')}</dt>
        <dd class="mono" data-testid="ikd-case-id">{props.c.id}</dd>
        <dt>{t('ikd.form.route')}</dt>
        <dd>{t(route() === 'video' ? 'ikd.route.video' : 'ikd.route.counter')}</dd>
        {/* "No standard time — waiting for you" only while the resident has something to do, not on an active IKD. */}
        <Show when={step().standardMinutes !== null} fallback={<Show when={FOLLOWED.has(state())}><dt>{t('ikd.step.standard')}</dt><dd class="muted">{t('ikd.step.none')}</dd></Show>}>
          <dt>{t('ikd.step.standard')}</dt>
          <dd data-testid="standard-minutes">{t('time.min', { n: step().standardMinutes ?? 0 })}</dd>
          <Show when={step().dueAt}>
            {(due) => (
              <>
                <dt>{t('ikd.step.due')}</dt>
                <dd>
                  {dateTime(due())}{' '}
                  <Show when={step().overrun || props.now > due()} fallback={<span class="muted">({t('case.timeLeft')}: {duration(due() - props.now)})</span>}>
                    <strong class="bad">{t('case.overrunBy', { time: duration(props.now - due()) })}</strong>
                  </Show>
                </dd>
              </>
            )}
          </Show>
        </Show>
      </dl>
      <Show when={props.me.office.waLink && FOLLOWED.has(state())}>
        <p class="small"><a href={props.me.office.waLink ?? '#'} target="_blank" rel="noopener">{t('ikd.waLink')}</a></p>
      </Show>
    </div>
  );
}

function ChangePin(props: { nik: string | undefined }) {
  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [done, setDone] = createSignal(false);
  const [problem, setProblem] = createSignal<UiProblem>();
  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (current().length !== 6 || !pinVerdict(next(), { nik: props.nik, currentPin: current() }).ok) return;
    setBusy(true);
    setProblem(undefined);
    setDone(false);
    try {
      await ikdApi.changePin(current(), next());
      setDone(true);
      setCurrent('');
      setNext('');
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <details class="card" data-testid="change-pin">
      <summary><strong>{t('ikd.changePin.title')}</strong></summary>
      <form class="form" onSubmit={submit} novalidate>
        <PinInput name="currentPin" label={t('ikd.changePin.current')} value={current()} onInput={setCurrent} autocomplete="current-password" />
        <PinInput name="newPin" label={t('ikd.changePin.new')} value={next()} onInput={setNext} autocomplete="new-password" />
        <PinPolicy pin={next()} ctx={{ nik: props.nik, currentPin: current() }} />
        <Show when={problem()}>{(p) => <p class="note note-bad" role="alert" data-code={p().code}>{problemText(p())}</p>}</Show>
        <Show when={done()}><p class="note" role="status" data-testid="pin-changed">{t('ikd.changePin.done')}</p></Show>
        <button class="btn btn-primary" type="submit" disabled={busy()}>{t('ikd.changePin.submit')}</button>
      </form>
    </details>
  );
}

function Release(props: { caseId: string; onReleased: () => Promise<void> }) {
  const [pin, setPin] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<UiProblem>();
  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (pin().length !== 6 || !window.confirm(t('ikd.release.confirm'))) return;
    setBusy(true);
    setProblem(undefined);
    try {
      await ikdApi.release(pin(), uuidv7());
      await props.onReleased();
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setPin('');
      setBusy(false);
    }
  }
  return (
    <details class="card" data-testid="release-device">
      <summary><strong>{t('ikd.release.title')}</strong></summary>
      <p class="muted">{t('ikd.release.lead')}</p>
      <form class="form" onSubmit={submit} novalidate>
        <PinInput name="releasePin" label={t('ikd.signin.pin')} value={pin()} onInput={setPin} autocomplete="current-password" />
        <Show when={problem()}>{(p) => <p class="note note-bad" role="alert" data-code={p().code}>{problemText(p())}</p>}</Show>
        <button class="btn btn-danger" type="submit" disabled={busy()}>{t('ikd.release.submit')}</button>
      </form>
    </details>
  );
}

function Devices(props: { me: IkdMe; thumbprint: string | undefined }) {
  return (
    <Show when={props.me.devices.length > 0}>
      <div class="card" data-testid="ikd-devices">
        <h2>{t('ikd.devices')}</h2>
        <ul class="list">
          <For each={props.me.devices}>
            {(d) => (
              <li class="list-item small" data-testid="ikd-device" data-status={d.status} data-this={d.thumbprint === props.thumbprint ? 'true' : 'false'}>
                <span class="mono">{d.thumbprint.slice(0, 12)}…</span> · {tryT(`ikd.device.${d.status}`, d.status)}
                <Show when={d.thumbprint === props.thumbprint}> · <strong>{t('ikd.device.thisPhone')}</strong></Show>
                <span class="muted"> · {dateTime(d.boundAt ?? d.createdAt)}</span>
              </li>
            )}
          </For>
        </ul>
      </div>
    </Show>
  );
}

function History(props: { me: IkdMe }) {
  return (
    <div class="card">
      <h2>{t('ikd.history')}</h2>
      <Show when={props.me.events.length > 0} fallback={<p class="muted">{t('ikd.historyEmpty')}</p>}>
        <ol class="timeline" data-testid="ikd-history">
          <For each={props.me.events}>
            {(e) => (
              <li data-kind={e.kind}>
                <strong>{tryT(`ikd.event.${e.kind}`, e.kind)}</strong>
                <div class="small muted">
                  {dateTime(e.at)}
                  <Show when={e.ip}> · IP {e.ip}</Show>
                  <For each={describeInput(e.detail)}>{(f) => <> · {f.label}: {f.value}</>}</For>
                </div>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </div>
  );
}
