/** Shared set-up for the complaint tests: handler sessions, filing and walking complaints through the engine. */
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { newTrackingCode } from '../../schema/aduan/tracking';
import type { StaffRole } from '../../schema/roles';
import { fileComplaint, complainantSession } from '../../worker/aduan/service';
import { trackingHash } from '../../schema/aduan/tracking';
import { applyCommand, type EngineContext } from '../../worker/engine';
import type { Session } from '../../worker/middleware/session';
import { registryFor } from '../../worker/db/registry';
import { createStaff, TABALONG } from './helpers/auth';
import { uuid7 } from './helpers/fixtures';

export interface Staff {
  id: string;
  username: string;
  password: string;
  session: Session;
}

export async function staff(roles: StaffRole[], officeCode = TABALONG): Promise<Staff> {
  const f = await createStaff({ roles, officeCode });
  return { id: f.id, username: f.username, password: f.password, session: { tokenHash: 'x', subjectType: 'staff', subjectId: f.id, displayName: f.displayName, officeCode, roles } };
}

/** The engine stamps its own clock on every command; move times afterwards with `backdate`. */
export function ctx(session: Session): EngineContext {
  return { db: env.DB, session, ip: '127.0.0.1', now: Date.now(), registry: registryFor(env) };
}

export const baseInput = {
  kind: 'pengaduan',
  subjectService: 'ktpel',
  title: 'KTP-el belum jadi',
  description: 'Sudah tiga minggu KTP-el saya belum bisa diambil di loket.',
} as const;

/** Files a complaint as a resident without an account (the PWA form's path); returns ids, ticket and code. */
export async function filePublic(extra: Record<string, unknown> = {}, officeCode = TABALONG) {
  const trackingCode = newTrackingCode();
  const session = complainantSession(officeCode, await trackingHash(trackingCode));
  const filed = await fileComplaint(ctx(session), session, { ...baseInput, privacy: 'biasa', ...extra, channel: 'web', trackingCode } as never);
  return { ...filed, trackingCode };
}

/** Applies one action at the case's current version and expects it applied; returns the new version. */
export async function act(who: Session, caseId: string, action: string, input: Record<string, unknown> = {}): Promise<number> {
  const row = await env.DB.prepare('SELECT version FROM cases WHERE id = ?').bind(caseId).first<{ version: number }>();
  const r = await applyCommand(ctx(who), { id: uuid7(), type: 'action', caseId, action, baseVersion: row!.version, input });
  expect(r.status, `${action}: ${JSON.stringify(r.problem)}`).toBe('applied');
  return r.case!.version;
}

/** Tries an action and returns the engine's answer without asserting. */
export async function attempt(who: Session, caseId: string, action: string, input: Record<string, unknown> = {}) {
  const row = await env.DB.prepare('SELECT version FROM cases WHERE id = ?').bind(caseId).first<{ version: number }>();
  return applyCommand(ctx(who), { id: uuid7(), type: 'action', caseId, action, baseVersion: row!.version, input });
}

/** Inputs that satisfy each action (assign needs the handler's id). */
export function inputFor(action: string, assigneeId: string): Record<string, unknown> {
  const future = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  const inputs: Record<string, Record<string, unknown>> = {
    verify: { category: 'Pelayanan KTP-el', priority: 'sedang' },
    postpone: { postponeReason: 'Menunggu data dari pusat', postponeUntil: future },
    resume: {},
    not_our_authority: { forwardTo: 'Dinas Kesehatan', forwardNote: 'Soal layanan RS, bukan Disdukcapil' },
    archive: { archiveReason: 'Aduan tidak dapat ditindaklanjuti' },
    assign: { assigneeId },
    resolve: { resolution: 'KTP-el sudah dicetak dan diserahkan kepada pelapor.' },
    reopen: { reopenReason: 'Belum diterima' },
  };
  if (action.startsWith('finish_')) return { note: 'Sudah dicek dan dicatat' };
  if (action.startsWith('skip_')) return { skipReason: 'Tidak perlu untuk aduan ini' };
  return inputs[action] ?? {};
}

/** Paths from a fresh complaint to each state, as [action] lists (the handler acts; assign goes to `assigneeId`). */
export const PATHS: Record<string, string[]> = {
  received: [],
  postponed: ['postpone'],
  verified: ['verify'],
  onsite_check: ['verify', 'assign'],
  internal_coordination: ['verify', 'assign', 'finish_onsite_check'],
  external_coordination: ['verify', 'assign', 'finish_onsite_check', 'finish_internal_coordination'],
  follow_up: ['verify', 'assign', 'finish_onsite_check', 'finish_internal_coordination', 'finish_external_coordination'],
  resolved: ['verify', 'assign', 'finish_onsite_check', 'finish_internal_coordination', 'finish_external_coordination', 'resolve'],
  forwarded: ['not_our_authority'],
  archived: ['archive'],
};

/** A fresh public complaint driven to `state` by `handler` (also the assignee). */
export async function complaintIn(state: string, handler: Staff, extra: Record<string, unknown> = {}) {
  const filed = await filePublic(extra);
  for (const action of PATHS[state]!) await act(handler.session, filed.caseId, action, inputFor(action, handler.id));
  return filed;
}

/**
 * Moves a case's recorded times (the engine stamps the server clock, so tests that need a Friday or a holiday set
 * them afterwards): step `version` → `at`, and the case's current-step start and creation time.
 */
export async function backdate(caseId: string, t: { steps?: Record<number, number>; stepStartedAt?: number; createdAt?: number; receivedAt?: number; routedAt?: number }) {
  const stmts: D1PreparedStatement[] = [];
  for (const [version, at] of Object.entries(t.steps ?? {})) stmts.push(env.DB.prepare('UPDATE case_steps SET at = ? WHERE case_id = ? AND version = ?').bind(at, caseId, Number(version)));
  if (t.stepStartedAt !== undefined) stmts.push(env.DB.prepare('UPDATE cases SET step_started_at = ? WHERE id = ?').bind(t.stepStartedAt, caseId));
  if (t.createdAt !== undefined) stmts.push(env.DB.prepare('UPDATE cases SET created_at = ? WHERE id = ?').bind(t.createdAt, caseId));
  if (t.receivedAt !== undefined) stmts.push(env.DB.prepare('UPDATE complaints SET received_at = ? WHERE case_id = ?').bind(t.receivedAt, caseId));
  if (t.routedAt !== undefined) stmts.push(env.DB.prepare('UPDATE complaints SET routed_at = ? WHERE case_id = ?').bind(t.routedAt, caseId));
  await env.DB.batch(stmts);
}
