/**
 * Camera QR scanner: the rear camera into a <video>, frames copied to a canvas a few times a second and read with
 * the lazily loaded zxing-wasm; stops at the first QR and hands over its bytes. Also reads a QR from an image file.
 */
import { Show, createSignal, onCleanup, onMount } from 'solid-js';
import { type KtpMsg, kt } from '../features/ktp/texts';
import { loadReader, readQrBytes } from './reader';

export interface ScannerProps {
  onBytes: (bytes: Uint8Array) => void;
}

/** Frames are scaled down to at most this width: zxing needs ~3 px per module, more only costs time. */
const MAX_FRAME_WIDTH = 960;
const FRAME_INTERVAL_MS = 150;

/**
 * Why the camera did not open, as the user's words with what to do: getUserMedia's DOMException names
 * (NotAllowedError when permission was refused, NotFoundError with no camera, NotReadableError when another app
 * holds it), a page without camera access at all (insecure origin: no mediaDevices), or the reader itself.
 */
export function cameraProblem(err: unknown, stage: 'reader' | 'camera'): KtpMsg {
  if (stage === 'reader') return 'cam.readerFailed';
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'cam.denied';
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') return 'cam.none';
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return 'cam.busy';
  if (!navigator.mediaDevices?.getUserMedia) return 'cam.unsupported';
  return 'cam.other';
}

export function Scanner(props: ScannerProps) {
  let video!: HTMLVideoElement;
  const canvas = document.createElement('canvas');
  const [status, setStatus] = createSignal<'loading' | 'scanning' | 'error'>('loading');
  const [error, setError] = createSignal<KtpMsg>();
  let stream: MediaStream | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  function stop(): void {
    stopped = true;
    if (timer) clearTimeout(timer);
    for (const track of stream?.getTracks() ?? []) track.stop();
    stream = undefined;
  }
  onCleanup(stop);

  async function tick(): Promise<void> {
    if (stopped) return;
    if (video.readyState >= 2 && video.videoWidth > 0) {
      const scale = Math.min(1, MAX_FRAME_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (ctx) {
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        const bytes = await readQrBytes(ctx.getImageData(0, 0, canvas.width, canvas.height));
        if (bytes && !stopped) {
          stop();
          props.onBytes(bytes);
          return;
        }
      }
    }
    timer = setTimeout(() => void tick(), FRAME_INTERVAL_MS);
  }

  async function start(): Promise<void> {
    stopped = false;
    setStatus('loading');
    setError(undefined);
    let stage: 'reader' | 'camera' = 'reader';
    try {
      await loadReader();
      stage = 'camera';
      if (!navigator.mediaDevices?.getUserMedia) throw new TypeError('no mediaDevices');
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
      if (stopped) return stop();
      video.srcObject = stream;
      await video.play();
      setStatus('scanning');
      void tick();
    } catch (err) {
      stop();
      setStatus('error');
      setError(cameraProblem(err, stage));
      // The raw name stays in the console for whoever debugs a phone; the user reads what to do.
      console.warn('scanner:', err);
    }
  }
  onMount(() => void start());

  async function fromFile(file: File | undefined): Promise<void> {
    if (!file) return;
    const bytes = await readQrBytes(file);
    if (bytes) {
      stop();
      props.onBytes(bytes);
    } else {
      setError('cek.noQrInImage');
    }
  }

  return (
    <div class="scanner" data-testid="scanner" data-status={status()}>
      <video ref={video} muted playsinline class="scanner-video" />
      <Show when={status() === 'loading'}>
        <p class="muted">{kt('cek.loadingReader')}</p>
      </Show>
      <Show when={status() === 'scanning'}>
        <p class="muted">{kt('cek.pointCamera')}</p>
      </Show>
      <Show when={error()}>
        {(e) => (
          <div class="note note-bad" role="alert" data-testid="scanner-error" data-problem={e()}>
            <p>{kt(e())}</p>
            <Show when={status() === 'error' && e() !== 'cam.none' && e() !== 'cam.unsupported'}>
              <button class="btn" type="button" onClick={() => void start()} data-testid="scanner-retry">{kt('cam.retry')}</button>
            </Show>
          </div>
        )}
      </Show>
      <label class="btn btn-quiet">
        {kt('cek.fromImage')}
        <input type="file" accept="image/*" hidden data-testid="scanner-file" onChange={(e) => void fromFile(e.currentTarget.files?.[0])} />
      </label>
    </div>
  );
}
