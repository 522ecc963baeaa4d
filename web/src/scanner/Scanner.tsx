/**
 * Camera QR scanner: the rear camera into a <video>, frames copied to a canvas a few times a second and read with
 * the lazily loaded zxing-wasm; stops at the first QR and hands over its bytes. Also reads a QR from an image file.
 */
import { Show, createSignal, onCleanup, onMount } from 'solid-js';
import { kt } from '../features/ktp/texts';
import { loadReader, readQrBytes } from './reader';

export interface ScannerProps {
  onBytes: (bytes: Uint8Array) => void;
}

/** Frames are scaled down to at most this width: zxing needs ~3 px per module, more only costs time. */
const MAX_FRAME_WIDTH = 960;
const FRAME_INTERVAL_MS = 150;

export function Scanner(props: ScannerProps) {
  let video!: HTMLVideoElement;
  const canvas = document.createElement('canvas');
  const [status, setStatus] = createSignal<'loading' | 'scanning' | 'error'>('loading');
  const [error, setError] = createSignal('');
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

  onMount(async () => {
    try {
      await loadReader();
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
      if (stopped) return stop();
      video.srcObject = stream;
      await video.play();
      setStatus('scanning');
      void tick();
    } catch (err) {
      setStatus('error');
      setError(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
    }
  });

  async function fromFile(file: File | undefined): Promise<void> {
    if (!file) return;
    const bytes = await readQrBytes(file);
    if (bytes) {
      stop();
      props.onBytes(bytes);
    } else {
      setError(kt('cek.noQrInImage'));
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
        <p class="note note-bad" role="alert">{status() === 'error' ? kt('cek.noCamera', { why: error() }) : error()}</p>
      </Show>
      <label class="btn btn-quiet">
        {kt('cek.fromImage')}
        <input type="file" accept="image/*" hidden onChange={(e) => void fromFile(e.currentTarget.files?.[0])} />
      </label>
    </div>
  );
}
