/** The PWA's one IndexedDB schema (Dexie): form drafts, the command outbox, the cached cases and small meta values. */
import Dexie, { type EntityTable } from 'dexie';
import type { z } from 'zod';
import type { SessionUser } from '../../schema/contracts/auth';
import type { IkdMeResponse, QueueItem } from '../../schema/contracts/ikd';
import type { CaseView } from '../../schema/contracts/sync';
import type { DeviceJwk } from '../../schema/workflows/ikd';
import type { KtpCredentialRecord, KtpListRecord, KtpNonceRecord } from './features/ktp/records';

/** A case as the server shows it, with `steps` only once the detail page fetched them online. */
export type CachedCase = CaseView;
export type CaseStep = NonNullable<CaseView['steps']>[number];
export type { CaseView, SessionUser };

/** A problem+json answer kept with a command or shown in a form. `code` is a schema/problems.ts code or a UI-only one. */
export interface UiProblem {
  code: string;
  status: number;
  title?: string;
  detail?: string;
  retryAfterSeconds?: number;
  errors?: { path: string; message: string }[];
  /** weak_password, not_eligible, pin_weak: why (too_short, common, under_17, …) */
  reason?: string;
  /** not_eligible: every failed condition */
  reasons?: string[];
  /** pin_wrong: tries left before the lock or before the activation link dies */
  attemptsLeft?: number;
}

/**
 * Outbox status. A command is removed once the server answered `applied` or `duplicate`, so those
 * never sit here; `conflict` and `rejected` stay until the user discards or re-applies them.
 */
export type CommandStatus = 'pending' | 'sending' | 'conflict' | 'rejected';

export interface OutboxCommand {
  /** UUIDv7 made here: the server's idempotency key (never the order: a device clock may be set back). */
  id: string;
  /** Local sequence: the order the user acted in, which is the push order. */
  seq: number;
  type: 'create' | 'action';
  caseId: string;
  service: string;
  action?: string;
  baseVersion?: number;
  input: Record<string, unknown>;
  createdAt: number;
  status: CommandStatus;
  attempts: number;
  nextAttemptAt: number;
  /** the server answered `deferred`: it waits for its case (or an earlier change) to reach the server first */
  deferred?: boolean;
  /** the server's answer for conflict/rejected, or the last transport failure */
  lastProblem?: UiProblem;
  /** for a conflict (and a rejection that came with it): the case as the server has it now */
  conflictCase?: CaseView;
  /** who made it: another user's commands wait until that user signs in again */
  userId: string;
  username: string;
  officeCode: string;
}

/** An unsent form, saved on every keystroke. */
export interface Draft {
  id: string;
  service: string;
  kind: 'create';
  userId: string;
  fields: Record<string, string>;
  updatedAt: number;
}

/** A command the server has answered `applied`/`duplicate` recently, for the outbox panel's "done" list. */
export interface RecentResult {
  commandId: string;
  caseId: string;
  service: string;
  type: 'create' | 'action';
  action?: string;
  status: 'applied' | 'duplicate';
  at: number;
}

export interface SyncState {
  /** the server said 401: pushing stops until the user signs in again */
  authLost: boolean;
  lastSyncAt?: number;
  lastAttemptAt?: number;
  lastError?: UiProblem;
}

/** Values kept in `meta`, by key. */
export interface MetaValues {
  user: SessionUser;
  cursor: number;
  /** which user the cached cases and cursor belong to */
  cacheOwner: string;
  sync: SyncState;
  recent: RecentResult[];
}

export interface MetaRow<K extends keyof MetaValues = keyof MetaValues> {
  key: K;
  value: MetaValues[K];
}

/** This device's key (web/src/device): the private half is a non-extractable CryptoKey, kept only here. */
export interface DeviceKeyRow {
  /** which key: 'primary' is the one bound to the resident's IKD (and the digital KTP) */
  id: string;
  keyPair: CryptoKeyPair;
  publicJwk: DeviceJwk;
  /** RFC 7638 SHA-256 thumbprint, base64url */
  thumbprint: string;
  createdAt: number;
}

/** A row of the operator's IKD queue, cached so the tablet keeps working when the network drops. */
export interface CachedQueueItem extends z.infer<typeof QueueItem> {
  officeCode: string;
  /** the office-local date of the queue it came with */
  date: string;
  fetchedAt: number;
}

/** What the resident's phone remembers between visits (no secrets: never a PIN or the maiden name). */
export interface IkdLocalValues {
  /** NIK of the resident using this phone, for sign-in and the PIN policy */
  nik: string;
  /** the resident's office (e.g. "63.09"), so times on this phone are shown in its zone (WIB/WITA/WIT) */
  officeCode: string;
  /** last account screen fetched, shown when offline */
  me: IkdMeResponse & { fetchedAt: number };
  /** the last registration answer shown (matches / does not match / not eligible) */
  lastRegistration: { caseId: string; at: number };
  /** what the server last said of this phone's device key (features/ktp/device-status.ts) */
  deviceStatus: { thumbprint: string; status: 'bound' | 'blocked' | 'released' | 'not_bound'; changedAt: number | null; checkedAt: number };
  /** a KTP-el application typed on this phone (features/ikd/KtpelApply.tsx); `waiting` once "Kirim" was pressed */
  ktpelDraft: { commandId: string; caseId: string; reason: string; phone: string; notes: string; waiting: boolean; updatedAt: number };
  /** the resident's KTP-el applications as last fetched, shown offline */
  ktpelCases: { cases: CaseView[]; fetchedAt: number };
}

export interface IkdLocalRow<K extends keyof IkdLocalValues = keyof IkdLocalValues> {
  key: K;
  value: IkdLocalValues[K];
}

/**
 * A complaint filed on this device without an account (issue 11): kept until the server answered, and afterwards
 * as the resident's own list with the tracking code (their secret, on their own device only).
 */
export interface PublicComplaint {
  /** the command id: the server's idempotency key */
  id: string;
  caseId: string;
  office: string;
  input: Record<string, unknown>;
  trackingCode: string;
  createdAt: number;
  status: 'pending' | 'sent' | 'rejected';
  ticketNo?: string;
  problem?: UiProblem;
  /** Photos shrunk on the device; each is uploaded before the complaint and then named by its key. */
  photos?: { blob: Blob; uploaded?: { key: string; name: string; type: string; size: number } }[];
}

/** A survey answer waiting for a connection (its id makes a resend the same answer). */
export interface PendingIkmAnswer {
  id: string;
  body: Record<string, unknown>;
  createdAt: number;
}

/**
 * An attachment of a birth file, kept here (compressed on the device) until the server has it: uploaded on its own,
 * retried with backoff, so a stuck photo never holds the file's other attachments or other commands.
 */
export interface BirthFile {
  id: string;
  /** the form draft it was attached to; the case id once the file was submitted */
  draftId: string;
  caseId?: string;
  requirement: string;
  name: string;
  contentType: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
  size: number;
  sha256: string;
  blob: Blob;
  status: 'draft' | 'queued' | 'uploaded' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  lastProblem?: UiProblem;
  /** A file sent in parts: how many of its parts the server holds (not indexed: no schema version needed). */
  partsDone?: number;
  partCount?: number;
  userId: string;
  createdAt: number;
}

/**
 * A complaint answer being written on this device (issue 11): what the handler typed, kept on every keystroke, and
 * once "send" was pressed (`ready`) the validated input, sent as a command only when all its files are uploaded.
 */
export interface AduanAnswer {
  /** `${userId}:${caseId}`: one answer per handler and complaint */
  id: string;
  caseId: string;
  userId: string;
  username: string;
  officeCode: string;
  values: Record<string, string>;
  status: 'draft' | 'ready';
  /** set when ready: the case version the answer was written against and the input to send */
  baseVersion?: number;
  input?: Record<string, unknown>;
  updatedAt: number;
}

/** A file attached to an answer, kept here until the server has it; uploaded on its own with its own backoff. */
export interface AduanAnswerFile {
  /** made here; the server stores the file under this id, so a repeated upload is the same file */
  id: string;
  answerId: string;
  caseId: string;
  userId: string;
  name: string;
  type: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
  size: number;
  /** emptied once uploaded */
  blob: Blob;
  status: 'queued' | 'uploaded' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  lastProblem?: UiProblem;
  /** the name the server gave it (made safe for mail headers) */
  storedName?: string;
  createdAt: number;
}

/** Cached office data of the birth service: required documents (partner form offline) and signed revocation lists (checker). */
export interface BirthListRow {
  name: string;
  value: unknown;
  fetchedAt: number;
}

/** A student on a RETAS event's roster on this tablet (imported from the school's CSV or added on the spot). */
export interface RetasStudentRow {
  /** `${caseId}|${studentKey}` */
  id: string;
  caseId: string;
  studentKey: string;
  student: { name: string; birthDate: string; nisn?: string; className?: string; sex?: 'L' | 'P'; nik?: string };
  source: 'csv' | 'manual';
  addedAt: number;
  /** The registry's answer for the NIK it was asked about (absent: to be matched when online; not indexed). */
  registry?: { nik: string; match: 'matched' | 'differs' | 'not_found'; at: number };
}

/**
 * One status change of a student on this tablet (schema/retas/roster.ts RosterMark), kept until the server judged
 * it and afterwards as the day's record: `pending` until answered, then `applied`, `conflict` (another tablet's
 * mark stands: `current`) or `rejected`. `adopted` stands for another tablet's mark the officer accepted.
 */
export interface RetasMarkRow {
  id: string;
  caseId: string;
  studentKey: string;
  student: RetasStudentRow['student'];
  status: 'recorded' | 'absent' | 'refused' | 'problem';
  note?: string;
  at: number;
  replaces: string | null;
  deviceId: string;
  /** local order of the officer's taps */
  seq: number;
  state: 'pending' | 'applied' | 'conflict' | 'rejected' | 'adopted';
  current?: { markId: string; status: string; note: string | null; at: number; deviceId: string };
  problem?: UiProblem;
  userId: string;
}

export class LoketDb extends Dexie {
  drafts!: EntityTable<Draft, 'id'>;
  outbox!: EntityTable<OutboxCommand, 'id'>;
  cases!: EntityTable<CachedCase, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  deviceKeys!: EntityTable<DeviceKeyRow, 'id'>;
  ikdQueue!: EntityTable<CachedQueueItem, 'caseId'>;
  ikdLocal!: EntityTable<IkdLocalRow, 'key'>;
  ktpCredential!: EntityTable<KtpCredentialRecord, 'key'>;
  ktpLists!: EntityTable<KtpListRecord, 'name'>;
  ktpNonces!: EntityTable<KtpNonceRecord, 'key'>;
  publicComplaints!: EntityTable<PublicComplaint, 'id'>;
  ikmOutbox!: EntityTable<PendingIkmAnswer, 'id'>;
  birthFiles!: EntityTable<BirthFile, 'id'>;
  birthLists!: EntityTable<BirthListRow, 'name'>;
  retasStudents!: EntityTable<RetasStudentRow, 'id'>;
  retasMarks!: EntityTable<RetasMarkRow, 'id'>;
  aduanAnswers!: EntityTable<AduanAnswer, 'id'>;
  aduanAnswerFiles!: EntityTable<AduanAnswerFile, 'id'>;

  constructor() {
    super('loket');
    // Never edit a version once shipped: add version(2).stores(...).upgrade(...) instead.
    this.version(1).stores({
      drafts: 'id, service, userId, updatedAt',
      outbox: 'id, status, caseId, userId',
      cases: 'id, [service+officeCode], updatedAt',
      meta: 'key',
    });
    // Digital KTP (issue 4): PIN-sealed credential, the checker's cached lists and seen nonces.
    this.version(2).stores({ ikdDevice: 'key', ktpCredential: 'key', ktpLists: 'name', ktpNonces: 'key, expiresAt' });
    // IKD (issue 3): the device key (web/src/device), the operator's cached queue, the resident's remembered values.
    this.version(3).stores({ deviceKeys: 'id', ikdQueue: 'caseId, officeCode', ikdLocal: 'key' });
    // Drops version 2's ikdDevice, which nothing reads (the device key lives in deviceKeys).
    this.version(4).stores({ ikdDevice: null });
    // Issue 7: the outbox is pushed in the order the user acted (a local sequence), never by the UUIDv7 clock.
    this.version(5)
      .stores({ outbox: 'id, status, caseId, userId, seq' })
      .upgrade(async (tx) => {
        const items = await tx.table<OutboxCommand>('outbox').orderBy('id').toArray();
        let seq = 0;
        for (const item of items) await tx.table('outbox').update(item.id, { seq: ++seq });
      });
    // Complaints and the IKM survey (issue 11): filings and answers made without an account, sent when online.
    this.version(6).stores({ publicComplaints: 'id, status, createdAt', ikmOutbox: 'id, createdAt' });
    // Birth certificates (issue 10): attachments waiting for upload, cached requirement and revocation lists.
    this.version(7).stores({ birthFiles: 'id, status, caseId, draftId', birthLists: 'name' });
    // RETAS (issue 12): the tablet's roster of an event and every status change it made, kept through reloads.
    this.version(8).stores({ retasStudents: 'id, caseId', retasMarks: 'id, caseId, [caseId+studentKey], [caseId+state], seq' });
    // Complaint answers (issue 11): the handler's answer and its files, kept until the files are uploaded and the answer sent.
    this.version(9).stores({ aduanAnswers: 'id, userId, status', aduanAnswerFiles: 'id, answerId, status' });
  }
}

/** The app's single database (also opened by the service worker for Background Sync). */
export const db = new LoketDb();

export async function getMeta<K extends keyof MetaValues>(key: K): Promise<MetaValues[K] | undefined> {
  const row = await db.meta.get(key);
  return row?.value as MetaValues[K] | undefined;
}

export async function setMeta<K extends keyof MetaValues>(key: K, value: MetaValues[K]): Promise<void> {
  await db.meta.put({ key, value } as MetaRow);
}
