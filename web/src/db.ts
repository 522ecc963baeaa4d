/** The PWA's one IndexedDB schema (Dexie): form drafts, the command outbox, the cached cases and small meta values. */
import Dexie, { type EntityTable } from 'dexie';
import type { SessionUser } from '../../schema/contracts/auth';
import type { CaseView } from '../../schema/contracts/sync';

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
  /** weak_password: why (too_short, common, …) */
  reason?: string;
}

/**
 * Outbox status. A command is removed once the server answered `applied` or `duplicate`, so those
 * never sit here; `conflict` and `rejected` stay until the user discards or re-applies them.
 */
export type CommandStatus = 'pending' | 'sending' | 'conflict' | 'rejected';

export interface OutboxCommand {
  /** UUIDv7 made here: the server's idempotency key and, sorted, the push order. */
  id: string;
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

export class LoketDb extends Dexie {
  drafts!: EntityTable<Draft, 'id'>;
  outbox!: EntityTable<OutboxCommand, 'id'>;
  cases!: EntityTable<CachedCase, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;

  constructor() {
    super('loket');
    // Never edit a version once shipped: add version(2).stores(...).upgrade(...) instead.
    this.version(1).stores({
      drafts: 'id, service, userId, updatedAt',
      outbox: 'id, status, caseId, userId',
      cases: 'id, [service+officeCode], updatedAt',
      meta: 'key',
    });
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
