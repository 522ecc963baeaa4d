/**
 * Digital KTP end to end: a resident with an active IKD shows a QR (PIN → device-signed presentation); a checker
 * with no account, its network cut, scans that very QR through Chromium's fake camera and gets VALID; scanned again,
 * REPLAYED; 91 seconds later on the checker's controlled clock, EXPIRED. The resident also opens it offline.
 *
 * Setup: the IKD activation itself is another flow; here its end state is put in place directly — the device key
 * (non-extractable, made in the page) in IndexedDB where web/src/device keeps it, and the account and bound device
 * in D1 with the PIN hashed under the stack's PEPPER.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { d1, eventually, launchChromium, newContext, residentsOf, waitForServiceWorker } from './helpers';
import { PIN, devVar, hashPin, installDeviceKey, renderedQr } from './ktp-kit';

/** A Y4M video (TOOLCHAIN item 11) of the QR centred on a white 640×480 frame; Chromium loops it as the camera. */
function writeY4m(file: string, qr: { width: number; height: number; gray: number[] }): void {
  const W = 640;
  const H = 480;
  const y = Buffer.alloc(W * H, 235);
  const left = Math.floor((W - qr.width) / 2);
  const top = Math.floor((H - qr.height) / 2);
  for (let r = 0; r < qr.height; r++) for (let c = 0; c < qr.width; c++) y[(top + r) * W + left + c] = Math.max(16, Math.min(235, qr.gray[r * qr.width + c]!));
  const chroma = Buffer.alloc((W * H) / 4, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]));
}

async function scanOnce(page: Page): Promise<{ status: string; reason: string }> {
  await page.getByTestId('checker-scan').click();
  const result = page.getByTestId('checker-result');
  await result.waitFor({ timeout: 30_000 });
  return { status: (await result.getAttribute('data-status'))!, reason: (await result.getAttribute('data-reason'))! };
}

describe('digital KTP', () => {
  let browser: Browser;
  let checkerBrowser: Browser | undefined;
  const tmp = mkdtempSync(path.join(tmpdir(), 'loket-ktp-'));
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await checkerBrowser?.close();
    await browser?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('resident shows a QR; an offline checker scans it by camera: VALID, then REPLAYED, then EXPIRED after 91 s', async () => {
    // An adult of Tabalong from the seeded demo population, not used by other browser tests.
    const resident = residentsOf('63.09').filter((r) => r.birthDate < '2000-01-01' && r.ektpRecorded).at(-3);
    expect(resident).toBeDefined();
    const nik = resident!.nik;

    // ── resident: the app with its device key after IKD activation ──
    const residentContext = await newContext(browser);
    const page = await residentContext.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto('/ktp');
    await page.getByTestId('ktp-no-device').waitFor();
    await waitForServiceWorker(page);
    const publicJwk = await installDeviceKey(page, nik);
    const thumbprint = await calculateJwkThumbprint(publicJwk);
    const pinHash = await hashPin(PIN, devVar('PEPPER'));
    const now = Date.now();
    await d1(`UPDATE devices SET status = 'released', released_at = ${now} WHERE nik = '${nik}' AND status = 'bound'`);
    await d1(
      `INSERT INTO ikd_accounts (nik, office_code, case_id, status, pin_hash, pin_set_at, activated_at, created_at, updated_at)
       VALUES ('${nik}', '63.09', 'e2e-ktp', 'active', '${pinHash}', ${now}, ${now}, ${now}, ${now})
       ON CONFLICT(nik) DO UPDATE SET status = 'active', pin_hash = excluded.pin_hash`,
    );
    await d1(
      `INSERT INTO devices (id, nik, case_id, thumbprint, public_jwk, status, created_at, bound_at)
       VALUES ('e2e-ktp-${now}', '${nik}', 'e2e-ktp', '${thumbprint}', '${JSON.stringify(publicJwk)}', 'bound', ${now}, ${now})`,
    );

    await page.reload();
    await page.fill('input[name=pin]', PIN);
    await page.getByTestId('ktp-show').click();
    const qr = await renderedQr(page);
    expect(qr.version).toBeLessThanOrEqual(15);
    expect(qr.modules).toBe(17 + 4 * qr.version);
    await expect(page.getByTestId('ktp-countdown').textContent()).resolves.toMatch(/\b(8\d|90) detik/);
    expect(await d1(`SELECT 1 FROM audit_log WHERE action = 'ktp.credential_issued' AND object = 'device:${thumbprint}'`)).toHaveLength(1);
    writeY4m(path.join(tmp, 'qr.y4m'), qr);

    // ── checker: no account, lists cached once online, then the network is cut ──
    checkerBrowser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${path.join(tmp, 'qr.y4m')}`,
      ],
    });
    const checkerContext = await newContext(checkerBrowser);
    await checkerContext.grantPermissions(['camera']);
    await checkerContext.clock.install();
    const checker = await checkerContext.newPage();
    checker.on('pageerror', (e) => errors.push(String(e)));
    await checker.goto('/cek');
    await eventually(async () => ((await checker.getByTestId('jwks-age').getAttribute('data-fetched-at')) ?? '') !== '', 'office keys cached');
    await eventually(async () => ((await checker.getByTestId('blocked-age').getAttribute('data-fetched-at')) ?? '') !== '', 'blocked list cached');
    await waitForServiceWorker(checker);

    await checkerContext.setOffline(true);
    await checker.reload(); // shell, scanner code and zxing wasm from the service worker; lists from IndexedDB
    await checker.getByTestId('jwks-age').waitFor();
    await eventually(async () => ((await checker.getByTestId('jwks-age').getAttribute('data-fetched-at')) ?? '') !== '', 'lists read offline');

    const first = await scanOnce(checker);
    expect(first).toEqual({ status: 'valid', reason: 'ok' });
    await expect(checker.getByTestId('holder-name').textContent()).resolves.toBe(resident!.name);
    await expect(checker.getByTestId('holder-nik').textContent()).resolves.toBe(`${nik.slice(0, 4)}••••••••${nik.slice(-4)}`);

    expect(await scanOnce(checker)).toEqual({ status: 'replayed', reason: 'nonce' });

    await checkerContext.clock.fastForward(91_000);
    expect(await scanOnce(checker)).toEqual({ status: 'expired', reason: 'presentation' });

    // ── the resident again, offline: the PIN opens the sealed credential, a wrong PIN does not ──
    await page.getByTestId('ktp-lock').click();
    await residentContext.setOffline(true);
    await page.reload();
    await page.fill('input[name=pin]', '135792');
    await page.getByTestId('ktp-show').click();
    await expect(page.getByTestId('ktp-problem').textContent()).resolves.toMatch(/PIN salah/);
    await page.fill('input[name=pin]', PIN);
    await page.getByTestId('ktp-show').click();
    const offlineQr = await renderedQr(page);
    expect(offlineQr.gray).not.toEqual(qr.gray); // a new presentation: new time and nonce

    expect(errors).toEqual([]);
    await checkerContext.close();
    await residentContext.close();
  });
});
