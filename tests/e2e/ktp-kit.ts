/** Pieces shared by the digital-KTP browser tests: a phone's IKD end state put in place, and the QR as the app drew it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import type { Page } from 'playwright-core';
import { ROOT } from '../../scripts/stack.mjs';

export const PIN = '602417';

/**
 * The Worker's own PIN hashing (peppered PBKDF2), loaded at run time: its WebCrypto typings are checked under the
 * worker's tsconfig, not this DOM one.
 */
export async function hashPin(pin: string, pepper: string): Promise<string> {
  const modulePath = '../../worker/auth/password';
  const { hashPassword } = (await import(modulePath)) as { hashPassword(p: string, pepper: string): Promise<string> };
  return hashPassword(pin, pepper);
}

export function devVar(name: string): string {
  const text = readFileSync(path.join(ROOT, '.dev.vars'), 'utf8');
  const m = new RegExp(`^${name}=(.*)$`, 'm').exec(text);
  if (!m) throw new Error(`${name} missing from .dev.vars`);
  return m[1]!.replace(/^'(.*)'$/, '$1');
}

/** Makes the IKD device key in the page (non-extractable) and stores it, with the NIK, as the IKD screens would. */
export async function installDeviceKey(page: Page, nik: string): Promise<JWK> {
  return page.evaluate(async (nik) => {
    const keyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const full = await crypto.subtle.exportKey('jwk', keyPair.publicKey);
    const publicJwk = { kty: 'EC', crv: 'P-256', x: full.x, y: full.y };
    const canonical = JSON.stringify({ crv: 'P-256', kty: 'EC', x: full.x, y: full.y });
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical)));
    const thumbprint = btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('loket'); // already created by the app at its current version
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['deviceKeys', 'ikdLocal'], 'readwrite');
      tx.objectStore('deviceKeys').put({ id: 'primary', keyPair, publicJwk, thumbprint, createdAt: Date.now() });
      tx.objectStore('ikdLocal').put({ key: 'nik', value: nik });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    return publicJwk;
  }, nik);
}

/** The QR exactly as the app drew it: grey pixels of its canvas. */
export async function renderedQr(page: Page): Promise<{ width: number; height: number; gray: number[]; version: number; modules: number }> {
  const canvas = page.getByTestId('ktp-qr');
  const problem = page.getByTestId('ktp-problem');
  await canvas
    .or(problem)
    .first()
    .waitFor({ timeout: 30_000 })
    .catch(async (err: unknown) => {
      throw new Error(`no QR and no refusal on screen: ${await page.locator('main').innerText()}`, { cause: err });
    });
  if (await problem.isVisible()) throw new Error(`the app refused: ${await problem.textContent()}`);
  return canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const gray: number[] = [];
    for (let i = 0; i < data.length; i += 4) gray.push(Math.round((data[i]! + data[i + 1]! + data[i + 2]!) / 3));
    return { width: c.width, height: c.height, gray, version: Number(c.dataset.version), modules: Number(c.dataset.modules) };
  });
}


/**
 * The server's side of an active IKD on this phone's key: the account (PIN hashed under the stack's PEPPER) and the
 * bound device, as activation would leave them. Any device bound before for this NIK is released first.
 */
export async function activateOnServer(d1: (sql: string) => Promise<unknown>, nik: string, officeCode: string, publicJwk: JWK, thumbprint: string, tag: string): Promise<void> {
  const pinHash = await hashPin(PIN, devVar('PEPPER'));
  const now = Date.now();
  const caseId = crypto.randomUUID();
  await d1(`UPDATE devices SET status = 'released', released_at = ${now} WHERE nik = '${nik}' AND status = 'bound'`);
  // The IKD case as activation leaves it (the account screen and lepas perangkat act on it).
  await d1(
    `INSERT INTO cases (id, service, office_code, state, version, resident_nik, data_json, step_started_at, created_by, created_at, updated_at, last_command_id)
     VALUES ('${caseId}', 'ikd', '${officeCode}', 'active', 7, '${nik}', '{"route":"counter"}', ${now}, 'resident', ${now}, ${now}, '${tag}-${now}')`,
  );
  await d1(
    `INSERT INTO ikd_accounts (nik, office_code, case_id, status, pin_hash, pin_set_at, activated_at, created_at, updated_at)
     VALUES ('${nik}', '${officeCode}', '${caseId}', 'active', '${pinHash}', ${now}, ${now}, ${now}, ${now})
     ON CONFLICT(nik) DO UPDATE SET status = 'active', pin_hash = excluded.pin_hash, case_id = excluded.case_id`,
  );
  await d1(
    `INSERT INTO devices (id, nik, case_id, thumbprint, public_jwk, status, created_at, bound_at)
     VALUES ('${tag}-${now}', '${nik}', '${caseId}', '${thumbprint}', '${JSON.stringify(publicJwk)}', 'bound', ${now}, ${now})`,
  );
}

/** The QR on screen as PNG bytes (the canvas keeps a 4-module quiet zone), as a photo or screenshot of it would be. */
export async function qrPng(page: Page): Promise<Buffer> {
  await renderedQr(page);
  const dataUrl = await page.getByTestId('ktp-qr').evaluate((el) => (el as HTMLCanvasElement).toDataURL('image/png'));
  return Buffer.from(dataUrl.split(',')[1]!, 'base64');
}
