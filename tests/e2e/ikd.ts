/**
 * Pieces of the IKD browser tests: Chromium with a fake camera, eligible demo residents, the registration on the
 * phone, QR screenshots, the dev mailbox, and a video-call slot time inside the office's service hours.
 */
import type { IkdRegisterRequest } from '../../schema/contracts/ikd';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import PostalMime from 'postal-mime';
import { inject } from 'vitest';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { KOTA_JAMBI } from '../../schema/offices';
import { isOpenAt, serviceMinutesBetween } from '../../schema/service-time';
import { baseUrl, eventually, residentsOf, stackFetch } from './helpers';
import { blankY4m, writeCameraFile } from './y4m';

/** The same flags as helpers.launchChromium (TOOLCHAIN.md gotcha 8). */
const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Chromium's fake camera showing `y4m` (TOOLCHAIN.md item 11); permission prompts answered yes. */
function cameraArgs(y4m: string): string[] {
  return [...BASE_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`];
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A browser whose camera sees the given QR screenshot (written into a fresh Y4M first), or grey when none. */
export async function launchWithCamera(dir: string, name: string, qrPng?: Uint8Array): Promise<Browser> {
  const file = path.join(dir, `${name}.y4m`);
  if (qrPng) writeCameraFile(file, qrPng);
  else writeFileSync(file, blankY4m());
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: cameraArgs(file) });
}

/**
 * A phone that keeps its profile (IndexedDB with the device key, cookies, service worker) across launches, as an
 * installed app does when it is closed and opened again; each launch may give it a different camera picture.
 */
export async function launchPhone(profileDir: string, dir: string, name: string, qrPng?: Uint8Array): Promise<BrowserContext> {
  const file = path.join(dir, `${name}.y4m`);
  if (qrPng) writeCameraFile(file, qrPng);
  else writeFileSync(file, blankY4m());
  return chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: cameraArgs(file),
    baseURL: baseUrl(),
    locale: 'id-ID',
    serviceWorkers: 'allow',
    viewport: { width: 412, height: 915 },
  });
}

export async function tabletContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl(), locale: 'id-ID', serviceWorkers: 'allow', viewport: { width: 1024, height: 1200 } });
}

/**
 * Adults of Kota Jambi with a recorded e-KTP: eligible for IKD. Each IKD test takes its own by index, counted from
 * the end of the list: the KTP-el tests take theirs from the start (they share the one D1 of the run).
 */
export function eligibleResident(index: number) {
  const all = residentsOf('15.71').filter((r) => r.ektpRecorded && r.birthDate < '2000-01-01' && r.motherMaidenName.length >= 2);
  const r = all.at(-1 - index);
  if (!r) throw new Error(`no eligible demo resident #${index}`);
  return r;
}

/** What the resident types into "Daftar IKD": the registration contract without the ids the app makes. */
export type RegistrationInput = Omit<IkdRegisterRequest, 'caseId' | 'commandId'>;

/** Fills and sends "Daftar IKD" on the phone; resolves with the case id once the account page shows it. */
export async function registerOnPhone(page: Page, r: RegistrationInput): Promise<string> {
  await page.goto('/ikd/daftar');
  await page.fill('input[name=nik]', r.nik);
  await page.fill('input[name=kkNumber]', r.kkNumber);
  await page.fill('input[name=motherMaidenName]', r.motherMaidenName);
  await page.fill('input[name=email]', r.email);
  await page.fill('input[name=phone]', r.phone);
  await page.check(`input[name=route][value=${r.route}]`);
  await page.getByTestId('ikd-register-submit').click();
  await page.waitForURL('**/ikd/akun', { timeout: 30_000 });
  await page.getByTestId('ikd-status').waitFor();
  return (await page.getByTestId('ikd-case-id').textContent())!.trim();
}

/** PNG of the QR code element the app rendered (the SVG alone, at its on-screen size). */
export async function qrScreenshot(page: Page, testId: string): Promise<Buffer> {
  const el = page.getByTestId(testId);
  await el.waitFor();
  return el.screenshot({ type: 'png' });
}

/** POST to a dev route of the test stack. */
async function devPost(p: string): Promise<unknown> {
  // CSRF: the Worker wants the request's own origin on every non-GET /api call.
  const res = await stackFetch(p, { method: 'POST', headers: { origin: baseUrl(), 'content-type': 'application/json' }, body: '{}' });
  if (!res.ok) throw new Error(`POST ${p}: ${res.status} ${await res.text()}`);
  return res.json();
}

export interface MailboxEntry {
  id: string;
  channel: 'email' | 'whatsapp';
  recipient: string;
  subject: string;
  body: string;
  status: 'pending' | 'sent' | 'dead';
  caseId: string | null;
  sentAt: number | null;
}

/** Every notification of the test stack, newest first (GET /api/dev/mailbox). */
export async function readMailbox(): Promise<MailboxEntry[]> {
  const res = await stackFetch('/api/dev/mailbox');
  if (!res.ok) throw new Error(`mailbox: ${res.status}`);
  return ((await res.json()) as { messages: MailboxEntry[] }).messages;
}

/** Runs delivery now (as the cron would), then reads the dev mailbox. */
export async function deliverAndRead(): Promise<MailboxEntry[]> {
  await devPost('/api/dev/deliver');
  return readMailbox();
}

export const ACTIVATION_SUBJECT = 'Aktivasi IKD';

/** The activation emails sent to `email`, newest first. */
export function activationMails(messages: MailboxEntry[], email: string): MailboxEntry[] {
  return messages.filter((m) => m.channel === 'email' && m.recipient === email && m.subject.startsWith(ACTIVATION_SUBJECT));
}

const usedMails = new Set<string>();
const usedEml = new Set<string>();

/**
 * The emails the stack really sent through its send_email binding (wrangler writes each to an .eml file), parsed
 * as a mail client would (postal-mime): the Worker builds them with mimetext, so subjects may be encoded words and
 * bodies base64 or quoted-printable.
 */
async function sentEmails(): Promise<{ file: string; to: string; subject: string; text: string }[]> {
  const log = readFileSync(inject('serverLog'), 'utf8');
  const files = [...new Set([...log.matchAll(/(\/\S+\.eml)\b/g)].map((m) => m[1]!))].filter((f) => existsSync(f));
  return Promise.all(
    files.map(async (file) => {
      const mail = await PostalMime.parse(readFileSync(file));
      return { file, to: mail.to?.[0]?.address ?? '', subject: mail.subject ?? '', text: mail.text ?? '' };
    }),
  );
}

/**
 * The activation email to `email`: its link (path + fragment on the test stack's origin) and PIN, read from the
 * message the stack really sent. It goes out right after the approval commits (no cron, no /api/dev/deliver),
 * and the copy kept in D1 no longer holds the PIN once it has left.
 */
export async function activationFromMailbox(email: string): Promise<{ path: string; pin: string; mail: MailboxEntry }> {
  let sent: MailboxEntry | undefined;
  await eventually(async () => {
    sent = activationMails(await readMailbox(), email).find((m) => m.status === 'sent' && !usedMails.has(m.id));
    return sent !== undefined;
  }, `activation email to ${email} sent right after the change`);
  usedMails.add(sent!.id);
  let eml: Awaited<ReturnType<typeof sentEmails>>[number] | undefined;
  await eventually(async () => {
    eml = (await sentEmails()).reverse().find((m) => m.to === email && m.subject.startsWith(ACTIVATION_SUBJECT) && !usedEml.has(m.file));
    return eml !== undefined;
  }, `activation email to ${email} written by the send_email binding`);
  usedEml.add(eml!.file);
  const link = eml!.text.match(/https?:\/\/\S+\/aktivasi#t=[A-Za-z0-9._-]+/)?.[0];
  const pin = eml!.text.match(/PIN aktivasi: (\d{6})/)?.[1];
  if (!link || !pin) throw new Error(`activation email without link or PIN:\n${eml!.text}`);
  if (sent!.body.includes(pin)) throw new Error('the delivered activation email still holds its PIN in D1');
  // The email names PUBLIC_ORIGIN (wrangler.toml); the test stack runs on its own port.
  const url = new URL(link);
  return { path: `${url.pathname}${url.hash}`, pin, mail: sent! };
}

/**
 * A 15-minute slot start in Kota Jambi's service hours, at least `leadMinutes` after `from`, on a 5-minute
 * boundary, with the whole slot inside one opening interval (what POST /api/ikd/slots accepts).
 */
export function slotStart(from: number, leadMinutes = 20, minutes = 15): number {
  const step = 5 * 60_000;
  let t = Math.ceil((from + leadMinutes * 60_000) / step) * step;
  for (let i = 0; i < 20_000; i++, t += step) {
    const end = t + minutes * 60_000;
    if (isOpenAt(KOTA_JAMBI.hours, t) && isOpenAt(KOTA_JAMBI.hours, end - 1) && serviceMinutesBetween(KOTA_JAMBI.hours, t, end) === minutes) return t;
  }
  throw new Error('no opening found for a slot');
}

/** Reads IndexedDB `loket` store counts in the page (drafts, outbox, …). */
export function idbCount(page: Page, store: string): Promise<number> {
  return page.evaluate(async (name) => {
    const open = indexedDB.open('loket');
    const db: IDBDatabase = await new Promise((res, rej) => {
      open.onsuccess = () => res(open.result);
      open.onerror = () => rej(open.error);
    });
    const n = await new Promise<number>((res, rej) => {
      const r = db.transaction(name).objectStore(name).count();
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    db.close();
    return n;
  }, store);
}
