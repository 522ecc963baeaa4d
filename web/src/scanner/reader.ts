/**
 * zxing-wasm, loaded only when a scan starts (the reader is ~416 KB gzipped) and served by the app itself: the
 * `?url` import makes Vite emit the .wasm as one of our assets, which the service worker precaches, so scanning
 * works offline. Without `locateFile` zxing-wasm would fetch the file from a CDN.
 */
type Reader = typeof import('zxing-wasm/reader');

let loading: Promise<Reader> | undefined;

export function loadReader(): Promise<Reader> {
  loading ??= (async () => {
    const [reader, { default: wasmUrl }] = await Promise.all([import('zxing-wasm/reader'), import('zxing-wasm/reader/zxing_reader.wasm?url')]);
    await reader.prepareZXingModule({
      overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
      fireImmediately: true,
    });
    return reader;
  })();
  // A failed load (offline before the wasm was ever cached) may be retried later.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** The first QR code's raw bytes in an image (camera frame or file), or undefined. */
export async function readQrBytes(input: ImageData | Blob): Promise<Uint8Array | undefined> {
  const { readBarcodes } = await loadReader();
  const results = await readBarcodes(input, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
  const hit = results.find((r) => r.isValid);
  return hit ? new Uint8Array(hit.bytes) : undefined;
}
