/**
 * The printed birth-certificate QR read by a phone camera at /cek (Chromium's fake camera plays a Y4M of the QR the
 * office signed): GENUINE online, GENUINE again with the network cut (office keys and the revocation list cached),
 * and REVOKED once the head of office revoked it and the checker is back online.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../schema/demo';
import { uuid7 } from '../../schema/ids';
import { b64u } from '../../schema/ktp/bytes';
import { encodeQr } from '../../schema/ktp/qr';
import { apiSignIn, pushCommands, submittedCase } from './birth-kit';
import { account, baseUrl, d1, eventually, newContext, sharedBrowser, waitForServiceWorker } from './helpers';
import { greyToY4m } from './y4m';

/** The QR as printed: dark modules on white with the 4-module quiet zone, one pixel per module (the video scales it). */
function qrImage(bytes: Uint8Array) {
  const symbol = encodeQr(bytes, 10);
  const side = symbol.moduleCount + 8;
  const luma = new Uint8Array(side * side).fill(255);
  for (let r = 0; r < symbol.moduleCount; r++) for (let c = 0; c < symbol.moduleCount; c++) if (symbol.isDark(r, c)) luma[(r + 4) * side + c + 4] = 0;
  return { version: symbol.version, img: { width: side, height: side, luma } };
}

async function scan(page: Page): Promise<string> {
  await page.getByTestId('checker-scan').click();
  const verdict = page.getByTestId('birth-verdict');
  await verdict.waitFor({ timeout: 30_000 });
  return (await verdict.getAttribute('data-status'))!;
}

describe('birth certificate QR by camera at /cek', () => {
  const browser = sharedBrowser();
  const tmp = mkdtempSync(path.join(tmpdir(), 'loket-birth-cam-'));
  let cameraBrowser: Browser | undefined;
  afterAll(async () => {
    await cameraBrowser?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('genuine online and offline, revoked after the office revokes it', async () => {
    // ── the office signs a certificate (partner, operator, verifier and head of office through the API) ──
    const actors = Object.fromEntries(
      await Promise.all(
        (['partner_operator', 'operator', 'verifier', 'head_of_office'] as const).map(async (role) => {
          const ctx = await newContext(browser());
          await apiSignIn(ctx, account(role, '63.09').username, DEMO_PASSWORD);
          return [role, ctx] as const;
        }),
      ),
    );
    const childName = `Ḥasanah Nur'aini Putri-${String.fromCharCode(...Array.from({ length: 5 }, () => 97 + Math.floor(Math.random() * 26)))}`;
    const birthDate = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    const caseId = await submittedCase(actors.partner_operator!, { childName, motherNik: '6309014101950003', birthDate });
    const step = (action: string, baseVersion: number) => ({ id: uuid7(), type: 'action', caseId, action, baseVersion, input: {} });
    await pushCommands(actors.operator!, [step('accept', 1), step('record_input', 2)]);
    await pushCommands(actors.verifier!, [step('request_signature', 3)]);
    const signed = await actors.head_of_office!.request.post('/api/birth/sign', { data: { password: DEMO_PASSWORD, cases: [{ id: caseId, version: 4 }] }, headers: { origin: baseUrl() } });
    const [result] = ((await signed.json()) as { results: { status: string; registerNo: string; documentReady: boolean }[] }).results;
    expect(result).toMatchObject({ status: 'applied', documentReady: true });
    const [cert] = await d1<{ register_no: string; qr: string }>(`SELECT register_no, qr FROM birth_certificates WHERE case_id = '${caseId}'`);
    const { version, img } = qrImage(b64u.decode(cert!.qr));
    expect(version).toBeLessThanOrEqual(10);
    const video = path.join(tmp, 'akta.y4m');
    writeFileSync(video, greyToY4m(img, { size: 360 }));

    // ── a checker's phone: no account, the camera pointed at the printed QR ──
    cameraBrowser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    const phone = await newContext(cameraBrowser);
    await phone.grantPermissions(['camera']);
    const checker = await phone.newPage();
    const errors: string[] = [];
    checker.on('pageerror', (e) => errors.push(String(e)));
    await checker.goto('/cek');
    await eventually(async () => ((await checker.getByTestId('jwks-age').getAttribute('data-fetched-at')) ?? '') !== '', 'office keys cached');
    await waitForServiceWorker(checker);

    expect(await scan(checker)).toBe('valid');
    const verdict = checker.getByTestId('birth-verdict');
    await expect(verdict.textContent()).resolves.toContain(cert!.register_no);
    await expect(verdict.textContent()).resolves.toContain(childName);

    // ── offline: keys and the office's revocation list come from the device ──
    await phone.setOffline(true);
    await checker.reload();
    await checker.getByTestId('jwks-age').waitFor();
    expect(await scan(checker)).toBe('valid');
    await expect(checker.getByTestId('crl-age').textContent()).resolves.toMatch(/Daftar pencabutan diperbarui/);

    // ── the certificate is revoked; back online, the same printed QR reads as revoked ──
    await pushCommands(actors.head_of_office!, [{ id: uuid7(), type: 'action', caseId, action: 'revoke', baseVersion: 5, input: { reason: 'Salah tulis nama ibu' } }]);
    await phone.setOffline(false);
    await checker.reload();
    await checker.getByTestId('jwks-age').waitFor();
    expect(await scan(checker)).toBe('revoked');
    expect(errors).toEqual([]);
    await phone.close();
    for (const ctx of Object.values(actors)) await ctx.close();
  });
});
