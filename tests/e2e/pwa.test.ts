/** The installable shell: manifest and icons are served as declared, the service worker registers and controls the page. */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { baseUrl, eventually, newContext, sharedBrowser, stackFetch, waitForServiceWorker } from './helpers';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  expect([...bytes.slice(0, 8)]).toEqual(sig);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(String.fromCharCode(...bytes.slice(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('PWA shell', () => {
  const browser = sharedBrowser();

  it('serves the web manifest with real PNG icons of the declared sizes, one of them maskable', async () => {
    const res = await fetch(`${baseUrl()}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    const manifest = (await res.json()) as { name: string; short_name: string; lang: string; start_url: string; display: string; icons: { src: string; sizes: string; type: string; purpose?: string }[] };
    expect(manifest).toMatchObject({ name: 'Loket — Disdukcapil', short_name: 'Loket', lang: 'id', start_url: '/', display: 'standalone' });
    expect(manifest.icons.some((i) => i.purpose === 'maskable' && i.sizes === '512x512')).toBe(true);
    expect(new Set(manifest.icons.map((i) => i.sizes))).toEqual(new Set(['192x192', '512x512']));
    for (const icon of manifest.icons) {
      const r = await fetch(new URL(icon.src, baseUrl()));
      expect(r.status, icon.src).toBe(200);
      expect(r.headers.get('content-type')).toContain('image/png');
      const [w, h] = icon.sizes.split('x').map(Number);
      expect(pngSize(new Uint8Array(await r.arrayBuffer()))).toEqual({ width: w, height: h });
    }
  });

  it('registers the service worker, which then controls the page and keeps /api off the shell fallback', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto('/');
    expect(await page.locator('link[rel=manifest]').getAttribute('href')).toBe('/manifest.webmanifest');
    const script = await waitForServiceWorker(page);
    expect(new URL(script).pathname).toBe('/sw.js');

    await context.setOffline(true);
    // A navigation to the app works offline from the precache …
    await page.goto('/ktpel');
    await expect(page.title()).resolves.toBe('Loket — Disdukcapil');
    // … but an API path is never answered with index.html.
    await expect(page.goto('/api/health')).rejects.toThrow(/ERR_INTERNET_DISCONNECTED|ERR_FAILED/);
    await context.close();
  });

  it('offers a new version without reloading by itself; "Muat ulang" puts the new service worker in charge', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto('/');
    await waitForServiceWorker(page);
    const versionOf = () =>
      page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = (e) => resolve(String(e.data));
            navigator.serviceWorker.controller!.postMessage('which-version', [channel.port2]);
            setTimeout(() => resolve('original'), 1_000); // the built worker does not answer this message
          }),
      );
    expect(await versionOf()).toBe('original');

    // The next deployment: the same worker plus a line that names it, in the stack's own copy of the PWA.
    const swFile = path.join(inject('assetsDir'), 'sw.js');
    const original = readFileSync(swFile, 'utf8');
    writeFileSync(swFile, `${original}\nself.addEventListener('message', (e) => { if (e.data === 'which-version') e.ports[0].postMessage('next'); });\n`);
    try {
      // What the browser does on a later visit or its periodic check (the dev server may take a moment to see the file).
      await eventually(
        () => page.evaluate(async () => { const r = (await navigator.serviceWorker.getRegistration())!; await r.update().catch(() => undefined); return r.waiting !== null || r.installing !== null; }),
        'the new service worker installed',
      );
      const prompt = page.getByTestId('update-prompt');
      await prompt.waitFor({ timeout: 30_000 });
      // Nothing changes under the user's hands: the old worker still controls the page until they choose.
      expect(await versionOf()).toBe('original');
      await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), prompt.getByRole('button', { name: /Muat ulang/ }).click()]);
      await waitForServiceWorker(page);
      expect(await versionOf()).toBe('next');
      await expect(page.getByTestId('update-prompt').count()).resolves.toBe(0);
    } finally {
      writeFileSync(swFile, original);
    }
    // The dev server reloads for the changed file; the next test starts only once the original is served again.
    await eventually(async () => (await (await stackFetch('/sw.js')).text()) === original, 'the original sw.js served again');
    await context.close();
  });
});
