/**
 * "KTP digital" (SPEC service B, seed 003): the resident enters the PIN, the phone signs a 90-second presentation
 * with its device key and shows it as a QR with a countdown, renewing it by itself; works offline with the stored
 * credential. The resident may reveal full NIK, birth date or address for the QR on screen.
 */
import { A } from '@solidjs/router';
import { For, Match, Show, Switch, createEffect, createResource, createSignal, on, onCleanup } from 'solid-js';
import { type ClaimName, DISCLOSABLE, KtpFormatError, PRESENTATION_TTL_SECONDS, type QrSymbol, encodeQr, makePresentation } from '../../../../schema/ktp';
import type { UiProblem } from '../../db';
import { db } from '../../db';
import { focusWhenShown } from '../../focus';
import { ago, dateTime, duration, problemText, setResidentOffice } from '../../i18n';
import { clockOffset, NOTABLE_OFFSET_MS, serverNow } from '../../clock';
import { createLive, createNow } from '../../state/live';
import { useSync } from '../../state/sync';
import { type IssuedCredential, credentialOffice, currentHolder, unlock } from './credential';
import { type KnownDeviceStatus, checkDeviceStatus, lastDeviceStatus } from './device-status';
import { RevokedNote } from './RevokedNote';
import { QrCanvas } from './QrCanvas';
import { type KtpMsg, kt } from './texts';
import './ktp.css';

/** Renew the QR this many seconds before it expires, so a checker never scans one in its last instant. */
const RENEW_BEFORE_SECONDS = 5;
/** Close the KTP after this long on screen: the PIN is asked again. */
const SHOW_LIMIT_MS = 10 * 60_000;

interface Shown {
  symbol: QrSymbol;
  issuedAt: number;
}

export default function KtpPage() {
  const sync = useSync();
  const [device] = createResource(currentHolder);
  const stored = createLive(() => db.ktpCredential.get('current'), undefined);
  const now = createNow(1000);
  const [pin, setPin] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [message, setMessage] = createSignal<{ key: KtpMsg; params?: Record<string, number> } | UiProblem>();
  const [credential, setCredential] = createSignal<IssuedCredential>();
  const [source, setSource] = createSignal<'online' | 'stored'>();
  const [reveal, setReveal] = createSignal<ClaimName[]>([]);
  const [shown, setShown] = createSignal<Shown>();
  const [openedAt, setOpenedAt] = createSignal(0);
  // What the server last said of this phone's key; `live` when it said so during this visit.
  const [status, setStatus] = createSignal<{ known?: KnownDeviceStatus; live: boolean; checking: boolean }>({ live: false, checking: true });
  let making = false;

  /**
   * Online, asks the server whether this phone's key is still bound (blocked or released keys lose the stored
   * credential); offline or unreachable, keeps the last answer with its age. True when a QR may be shown.
   */
  async function confirmStatus(): Promise<boolean> {
    const dev = device();
    if (!dev) return false;
    if (sync.online()) {
      setStatus((s) => ({ ...s, checking: true }));
      try {
        const known = await checkDeviceStatus(dev);
        setStatus({ known, live: true, checking: false });
        if (known.status !== 'bound') lock();
        return known.status === 'bound';
      } catch {
        // unreachable: fall through to what this phone knew
      }
    }
    const known = await lastDeviceStatus(dev);
    setStatus({ known, live: false, checking: false });
    return !known || known.status === 'bound';
  }
  createEffect(on(device, (dev) => void (dev && confirmStatus()), { defer: false }));
  // Times here (the credential's validity, a block's date) are in the resident's office zone, not the phone's.
  createEffect(() => {
    const office = device()?.officeCode;
    if (office) setResidentOffice(office);
  });
  const revoked = () => {
    const k = status().known;
    return k && k.status !== 'bound' ? k : undefined;
  };

  function lock(): void {
    setCredential(undefined);
    setShown(undefined);
    setPin('');
  }
  /** "Tutup" by the resident: the PIN form comes back, and keyboard focus with it (the button is gone). */
  function lockByHand(): void {
    lock();
    focusWhenShown('input[name=pin]');
  }
  onCleanup(lock);

  async function makeQr(): Promise<void> {
    const cred = credential();
    const dev = device();
    if (!cred || !dev || making) return;
    making = true;
    try {
      // The server's time, not the phone's: a phone clock hours off would make every QR expired or not yet valid.
      const at = serverNow();
      const bytes = await makePresentation({ held: cred, reveal: reveal(), deviceKey: dev.key.privateKey, now: at });
      setShown({ symbol: encodeQr(bytes), issuedAt: Math.floor(at / 1000) });
      setMessage(undefined);
    } catch (err) {
      if (err instanceof KtpFormatError && err.reason === 'too_large') {
        setMessage({ key: 'ktp.tooLarge' });
        setReveal((r) => r.slice(0, -1));
      } else {
        throw err;
      }
    } finally {
      making = false;
    }
  }

  const secondsLeft = () => {
    const s = shown();
    // The ticking clock may lag the moment the QR was made by up to a second: never show more than its life.
    const serverSeconds = Math.floor((now() + (clockOffset()?.offsetMs ?? 0)) / 1000);
    return s ? Math.min(PRESENTATION_TTL_SECONDS, Math.max(0, s.issuedAt + PRESENTATION_TTL_SECONDS - serverSeconds)) : 0;
  };

  // Renew before expiry; close after the time limit.
  createEffect(() => {
    if (!credential()) return;
    if (now() - openedAt() > SHOW_LIMIT_MS) return lock();
    if (shown() && secondsLeft() <= RENEW_BEFORE_SECONDS) void renew();
  });
  /** Each renewal asks the server again when online: a block made while the QR is on screen ends it. */
  async function renew(): Promise<void> {
    if (making) return;
    if (sync.online() && !(await confirmStatus())) return;
    await makeQr();
  }
  // A new choice of disclosures makes a new QR at once.
  createEffect(on(reveal, () => void makeQr(), { defer: true }));

  async function submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const dev = device();
    if (!dev || busy() || !/^\d{6}$/.test(pin())) return;
    setBusy(true);
    setMessage(undefined);
    try {
      if (!(await confirmStatus())) return;
      const result = await unlock(dev, pin(), sync.online());
      if (result.ok) {
        // openedAt first: setting the credential wakes the time-limit effect, which reads it.
        setOpenedAt(Date.now());
        setSource(result.source);
        setCredential(result.credential);
        setResidentOffice(credentialOffice(result.credential));
        await makeQr();
        // The PIN form is gone: focus goes to the QR, whose name says what it is and how long it is valid.
        focusWhenShown('[data-testid=ktp-qr]');
      } else if (result.problem) {
        setMessage(result.problem);
      } else {
        setMessage({ key: result.message, params: result.params });
      }
    } finally {
      setPin('');
      setBusy(false);
    }
  }

  const messageText = () => {
    const m = message();
    if (!m) return '';
    if ('key' in m) return kt(m.key, m.params);
    return m.code === 'pin_wrong' ? kt('ktp.pinWrong') : problemText(m);
  };

  function toggle(claim: ClaimName, checked: boolean): void {
    setReveal((r) => (checked ? DISCLOSABLE.filter((c) => c === claim || r.includes(c)) : r.filter((c) => c !== claim)));
  }

  return (
    <section class="card narrow" data-testid="ktp-page">
      <h1>{kt('ktp.title')}</h1>
      <Show when={device()}>
        <Show when={revoked()} fallback={<StatusAge status={status()} online={sync.online()} now={now()} />}>
          {(k) => <RevokedNote known={k()} />}
        </Show>
      </Show>
      <Switch>
        <Match when={device.loading}>
          <p class="muted">…</p>
        </Match>
        <Match when={!device()}>
          <p class="note note-warn" data-testid="ktp-no-device">{kt('ktp.noDevice')}</p>
        </Match>
        <Match when={revoked()}>{null}</Match>
        <Match when={credential()}>
          {(cred) => (
            <>
              <p class="muted small">{kt('ktp.lead')}</p>
              <Show when={source() === 'stored' && !sync.online()}>
                <p class="note note-warn">{kt('ktp.offlineCached')}</p>
              </Show>
              <Show when={shown()} fallback={<p class="muted">{kt('ktp.refreshing')}</p>}>
                {(s) => (
                  <>
                    <QrCanvas symbol={s().symbol} label={`${kt('ktp.qrAlt')}. ${kt('ktp.lead')}`} testId="ktp-qr" />
                    {/* The per-second count is a timer (not read out); the status below speaks every 30 seconds and at each new QR. */}
                    <p class="ktp-countdown" role="timer" data-testid="ktp-countdown">
                      {kt('ktp.validFor', { s: secondsLeft() })}
                    </p>
                    <p class="sr-only" role="status" data-testid="ktp-countdown-live">
                      {kt('ktp.validFor', { s: Math.ceil(secondsLeft() / 30) * 30 })}
                    </p>
                    <div class="ktp-bar" aria-hidden="true">
                      <span style={{ width: `${(secondsLeft() / PRESENTATION_TTL_SECONDS) * 100}%` }} />
                    </div>
                    <p class="muted small">
                      {cred().holder.name} · {cred().holder.nikMasked} · {kt('ktp.qrInfo', { v: s().symbol.version, m: s().symbol.moduleCount })}
                    </p>
                  </>
                )}
              </Show>
              <fieldset class="field">
                <legend>{kt('ktp.reveal')}</legend>
                <div class="choices">
                  <For each={DISCLOSABLE}>
                    {(claim) => (
                      <label class="choice">
                        <input type="checkbox" name={`reveal-${claim}`} checked={reveal().includes(claim)} onChange={(e) => toggle(claim, e.currentTarget.checked)} />
                        {kt(`ktp.reveal.${claim}` as KtpMsg)}
                      </label>
                    )}
                  </For>
                </div>
                <span class="muted small">{kt('ktp.defaultShown')}</span>
              </fieldset>
              <Show when={message()}>
                <p class="note note-warn" role="alert">{messageText()}</p>
              </Show>
              <p class="muted small">{kt('ktp.credentialUntil', { date: dateTime(cred().expiresAt * 1000) })}</p>
              <Show when={Math.abs(clockOffset()?.offsetMs ?? 0) > NOTABLE_OFFSET_MS}>
                <p class="muted small" data-testid="ktp-clock-fixed">{kt('ktp.clockFixed', { diff: duration(clockOffset()?.offsetMs ?? 0) })}</p>
              </Show>
              <button class="btn" type="button" onClick={lockByHand} data-testid="ktp-lock">{kt('ktp.lock')}</button>
            </>
          )}
        </Match>
        <Match when={true}>
          <form class="form" onSubmit={(e) => void submit(e)} novalidate>
            <Show when={stored()} fallback={<p class="muted small">{sync.online() ? '' : kt('ktp.credentialNone')}</p>}>
              {(rec) => <p class="muted small">{kt('ktp.credentialUntil', { date: dateTime(rec().expiresAt * 1000) })}</p>}
            </Show>
            <label class="field">
              <span>{kt('ktp.pin')}</span>
              <input
                name="pin"
                class="ktp-pin"
                type="password"
                inputmode="numeric"
                autocomplete="off"
                maxlength="6"
                pattern="\d{6}"
                required
                value={pin()}
                onInput={(e) => setPin(e.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
              />
            </label>
            <Show when={message()}>
              <p class="note note-bad" role="alert" data-testid="ktp-problem">{messageText()}</p>
            </Show>
            <button class="btn btn-primary" type="submit" disabled={busy() || pin().length !== 6} data-testid="ktp-show">
              {busy() ? kt('ktp.busy') : kt('ktp.show')}
            </button>
          </form>
        </Match>
      </Switch>
      <p class="small">
        <A href="/cek">{kt('ktp.checkerLink')}</A>
      </p>
    </section>
  );
}

/** How fresh this phone's knowledge of its IKD status is: said plainly offline, briefly online. */
function StatusAge(props: { status: { known?: KnownDeviceStatus; live: boolean; checking: boolean }; online: boolean; now: number }) {
  return (
    <Switch>
      <Match when={props.status.checking}>
        <p class="muted small" data-testid="ktp-status" data-state="checking">{kt('ktp.status.checking')}</p>
      </Match>
      <Match when={props.status.live && props.status.known}>
        {(k) => <p class="muted small" data-testid="ktp-status" data-state="live">{kt('ktp.status.liveOk', { time: ago(k().checkedAt, props.now) })}</p>}
      </Match>
      <Match when={props.status.known}>
        {(k) => <p class="note note-warn small" data-testid="ktp-status" data-state="cached">{kt('ktp.status.checkedAt', { time: ago(k().checkedAt, props.now) })}</p>}
      </Match>
      <Match when={!props.online}>
        <p class="note note-warn small" data-testid="ktp-status" data-state="never">{kt('ktp.status.neverChecked')}</p>
      </Match>
    </Switch>
  );
}
