/** Fixtures of the birth browser tests: photos as a phone camera hands them over, a partner's case made through the API. */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, BrowserContext } from 'playwright-core';
import { DEMO_PASSWORD } from '../../schema/demo';
import { uuid7 } from '../../schema/ids';
import { type WatchedPage, account, baseUrl, newContext, staffTablet, waitForServiceWorker } from './helpers';

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
