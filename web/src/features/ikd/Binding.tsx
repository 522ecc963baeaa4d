/**
 * Device binding from the phone (IKD.md), either way: show the `LOKETB1…` QR (this phone's key thumbprint and a
 * one-time nonce) for the officer to scan, or scan the officer's `LOKETB2…` QR with the camera and sign its text.
 */
import { Show, createSignal, onCleanup } from 'solid-js';
import { parseBindingQr } from '../../../../schema/ikd-rules';
import { problemFromError } from '../../api';
import { QrCode } from '../../components/QrCode';
import type { UiProblem } from '../../db';
import { peekDeviceKey, renewDeviceKey } from '../../device';
import { dateTime, problemText, t } from '../../i18n';
import { Scanner } from '../../scanner/Scanner';
import { uuidv7 } from '../../sync/uuidv7';
import { type DeviceKeyAnswer, type IkdMe, ikdApi } from './api';

/** A key the server already saw released or blocked can never be bound again: make a new one first. */
async function usableKey(me: IkdMe): Promise<void> {
  const key = await peekDeviceKey();
  if (!key) return; // getDeviceKey() makes one on first use
  const known = me.devices.find((d) => d.thumbprint === key.thumbprint);
  if (known && (known.status === 'released' || known.status === 'blocked')) await renewDeviceKey();
}

export function Binding(props: { me: IkdMe; caseId: string; state: string; onBound: () => void }) {
  const [shown, setShown] = createSignal<DeviceKeyAnswer>();
  const [scanning, setScanning] = createSignal(false);
  const [scanRun, setScanRun] = createSignal(0);
  const [note, setNote] = createSignal<string>();
  const [problem, setProblem] = createSignal<UiProblem>();
  const [busy, setBusy] = createSignal(false);
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(timer));
  const expired = () => {
    const s = shown();
    return s !== undefined && s.expiresAt <= now();
  };

  const fail = (err: unknown) => setProblem(problemFromError(err));

  async function showQr() {
    setBusy(true);
    setProblem(undefined);
    setScanning(false);
    try {
      await usableKey(props.me);
      setShown(await ikdApi.deviceKey());
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  function startScan() {
    setShown(undefined);
    setProblem(undefined);
    setNote(undefined);
    setScanRun(scanRun() + 1);
    setScanning(true);
  }

  async function onScanned(bytes: Uint8Array) {
    const text = new TextDecoder().decode(bytes);
    const parsed = parseBindingQr(text);
    if (!parsed || parsed.kind !== 'operator') {
      setNote(t('ikd.bind.notBinding'));
      setScanRun(scanRun() + 1); // the scanner stops at any QR: look again
      return;
    }
    if (parsed.caseId !== props.caseId) {
      setNote(t('ikd.bind.otherCase'));
      setScanRun(scanRun() + 1);
      return;
    }
    setScanning(false);
    setNote(undefined);
    setBusy(true);
    try {
      await usableKey(props.me);
      await ikdApi.bindScanned(text.trim(), uuidv7());
      setNote(t('ikd.bind.done'));
      props.onBound();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card" data-testid="ikd-binding">
      <h2>{t('ikd.bind.title')}</h2>
      <p class="muted">{t('ikd.bind.lead')}</p>
      <div class="row">
        <button class="btn btn-primary" type="button" disabled={busy()} onClick={() => void showQr()} data-testid="show-device-qr">
          {shown() ? t('ikd.bind.renew') : t('ikd.bind.showQr')}
        </button>
        <Show when={props.state === 'verified'}>
          <button class="btn" type="button" disabled={busy()} onClick={() => (scanning() ? setScanning(false) : startScan())} data-testid="scan-operator-qr">
            {scanning() ? t('ikd.bind.scanStop') : t('ikd.bind.scan')}
          </button>
        </Show>
      </div>
      <Show when={shown()}>
        {(s) => (
          <div class="qr-box" style={{ 'margin-top': '0.75rem' }}>
            <Show when={!expired()} fallback={<p class="note note-warn">{problemText({ code: 'binding_nonce_expired', status: 410 })}</p>}>
              <QrCode text={s().qr} label={`${t('ikd.bind.qrLabel')}. ${t('ikd.bind.qrValid', { time: dateTime(s().expiresAt) })}`} size={280} testId="device-qr" />
              <p class="small muted">{t('ikd.bind.qrValid', { time: dateTime(s().expiresAt) })}</p>
              <p class="small muted">
                {t('ikd.bind.thumb')}: <span class="mono" data-testid="device-thumbprint">{s().thumbprint}</span>
              </p>
            </Show>
          </div>
        )}
      </Show>
      <Show when={scanning()}>
        {/* keyed by run: a new Scanner (camera opened again) after a wrong code */}
        <Show when={scanRun()} keyed>
          {(_run: number) => <Scanner onBytes={(b) => void onScanned(b)} />}
        </Show>
      </Show>
      <Show when={note()}>
        <p class="note" role="status" data-testid="binding-note">{note()}</p>
      </Show>
      <Show when={problem()}>
        {(p) => (
          <p class="note note-bad" role="alert" data-testid="binding-problem" data-code={p().code}>
            {p().code === 'network' ? t('ikd.bind.offline') : problemText(p())}
          </p>
        )}
      </Show>
    </div>
  );
}
