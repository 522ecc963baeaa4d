/** Fixtures of the birth browser tests: photos as a phone camera hands them over, a partner's case made through the API. */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, BrowserContext, Route } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../schema/demo';
import { uuid7 } from '../../schema/ids';
import { type WatchedPage, account, baseUrl, d1Count, eventually, newContext, staffTablet, waitForServiceWorker } from './helpers';

/** A small PNG photo (noise seeded by `seed`), as a phone camera would hand the form a file. */
export function png(seed: number, size = 48): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  let x = seed * 7919;
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let i = 1; i <= size * 3; i++) raw[y * (size * 3 + 1) + i] = (x = (x * 1103515245 + 12345) & 0x7fffffff) & 0xff;
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Signs a context in through the API (its cookie jar keeps the session), for actors whose screens the test does not watch. */
export async function apiSignIn(context: BrowserContext, username: string, password: string): Promise<void> {
  const res = await context.request.post('/api/auth/login', { data: { username, password }, headers: { origin: baseUrl() } });
  if (!res.ok()) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
}

/** Pushes commands through the sync API as the context's user; throws unless every one applied. */
export async function pushCommands(context: BrowserContext, commands: unknown[]): Promise<void> {
  const res = await context.request.post('/api/sync/push', { data: { commands }, headers: { origin: baseUrl() } });
  const body = (await res.json()) as { results: { status: string; problem?: unknown }[] };
  if (!res.ok() || body.results.some((r) => r.status !== 'applied')) throw new Error(`push: ${res.status()} ${JSON.stringify(body)}`);
}

/** A birth case submitted and fully uploaded by the partner context: returns its id. */
export async function submittedCase(context: BrowserContext, opts: { childName: string; motherNik: string; birthDate: string }): Promise<string> {
  const files = ['surat_lahir', 'buku_nikah', 'kk'].map((requirement, i) => {
    const bytes = png(100 + i);
    return { bytes, ref: { id: uuid7(), requirement, contentType: 'image/png' as const, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') } };
  });
  const caseId = uuid7();
  await pushCommands(context, [
    {
      id: uuid7(), type: 'create', caseId, service: 'birth',
      input: {
        child: { name: opts.childName, sex: 'L', birthDate: opts.birthDate, birthTime: '10:15', birthPlace: 'RSUD H. Badaruddin Kasim, Tanjung', birthOrder: 2, weightGrams: 3300, lengthCm: 50 },
        mother: { nik: opts.motherNik, name: 'Rahmah' },
        kkNumber: '6309010101200002',
        parentsMarriage: 'kawin_tercatat',
        reporter: { name: 'Rahmah', phone: '081200000077' },
        attachments: files.map((f) => f.ref),
      },
    },
  ]);
  for (const f of files) {
    const res = await context.request.put(`/api/birth/attachments/${f.ref.id}`, { data: f.bytes, headers: { origin: baseUrl(), 'content-type': 'image/png' } });
    if (!res.ok()) throw new Error(`upload: ${res.status()} ${await res.text()}`);
  }
  return caseId;
}

/** A partner clerk's tablet (a midwife's clinic) of `office`, signed in, with the service worker in charge. */
export async function partnerTablet(browser: Browser, office: string): Promise<WatchedPage> {
  const tablet = await staffTablet(browser, account('partner_operator', office));
  await waitForServiceWorker(tablet.page);
  return tablet;
}

/**
 * A case the partner sent earlier (`submittedCase`, its child born `daysOld` days ago), returned by the office's
 * operator for the documents named in `reasons`: returns its id.
 */
export async function returnedCase(
  browser: Browser,
  partner: BrowserContext,
  office: string,
  child: { name: string; motherNik: string; daysOld: number },
  reasons: { requirement: string; reason: string }[],
): Promise<string> {
  const birthDate = new Date(Date.now() - child.daysOld * 86_400_000).toISOString().slice(0, 10);
  const caseId = await submittedCase(partner, { childName: child.name, motherNik: child.motherNik, birthDate });
  const desk = await newContext(browser);
  await apiSignIn(desk, account('operator', office).username, DEMO_PASSWORD);
  await pushCommands(desk, [{ id: uuid7(), type: 'action', caseId, action: 'return_incomplete', baseVersion: 1, input: { reasons } }]);
  await desk.close();
  return caseId;
}

/** Six random letters, so a child's name is new to the duplicate check in every run. */
export const letters = () => Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

/** A scanned document as a PDF of `size` bytes (header and trailer real, the rest a fixed pattern). */
export function scannedPdf(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 137 + (i >> 10)) & 0xff;
  Buffer.from('%PDF-1.7\n').copy(b, 0);
  Buffer.from('\n%%EOF\n').copy(b, size - 7);
  return b;
}

/** The part uploads a test saw: tries per part number, and the requests it held (in the order held). */
export interface PartTraffic {
  sent: Map<string, number>;
  held: Route[];
}

/**
 * The partner resubmits `caseId` (returned for its KK) with `scan` as the new KK, sent in parts; the first try of
 * part 1 is held and the network is cut under it. On return part 0 is on the server and the file waits in the
 * outbox showing one part sent. `holdAlso` holds further tries (part number, tries so far) for the test to release.
 */
export async function kkCutMidPart(t: WatchedPage, caseId: string, scan: Buffer, holdAlso: (part: string, tries: number) => boolean = () => false): Promise<{ kkId: string; traffic: PartTraffic }> {
  const { context, page } = t;
  const traffic: PartTraffic = { sent: new Map(), held: [] };
  await context.route('**/api/birth/attachments/*/parts/*', async (route) => {
    if (route.request().method() !== 'PUT') return route.continue();
    const n = new URL(route.request().url()).pathname.split('/').pop()!;
    const tries = (traffic.sent.get(n) ?? 0) + 1;
    traffic.sent.set(n, tries);
    if ((n === '1' && tries === 1) || holdAlso(n, tries)) return void traffic.held.push(route);
    return route.continue();
  });
  await page.goto(`/akta/${caseId}`);
  await page.locator('[data-testid=case-state][data-state=returned]').waitFor({ timeout: 30_000 });
  await page.getByTestId('fix-kk').setInputFiles({ name: 'kk-scan.pdf', mimeType: 'application/pdf', buffer: scan });
  const kkRow = page.locator('[data-testid=resubmit-files] [data-requirement=kk] li').first();
  await kkRow.waitFor();
  const kkId = (await kkRow.getAttribute('data-correction'))!;
  await page.locator('button[data-action=resubmit]').click();

  // Part 0 arrives; part 1 is in flight when the connection goes.
  await eventually(() => traffic.held.length === 1, 'second part in flight', 60_000);
  expect(await d1Count(`SELECT count(*) AS n FROM birth_upload_parts WHERE attachment_id = '${kkId}'`)).toBe(1);
  await context.setOffline(true);
  await traffic.held[0]!.abort('internetdisconnected').catch(() => undefined);
  await page.locator(`[data-attachment="${kkId}"][data-status=queued]`).waitFor({ timeout: 20_000 });
  await expect(page.locator(`[data-attachment="${kkId}"] [data-testid=upload-parts]`).textContent()).resolves.toMatch(/1/);
  return { kkId, traffic };
}
