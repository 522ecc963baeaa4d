/**
 * Glue between the IKD routes and the SOP engine: engine contexts for residents (also before they have a session),
 * one action or creation as an HTTP answer, and resident sessions with their assurance level.
 */
import type { Context } from 'hono';
import type { CaseView, Command } from '../../schema/contracts/sync';
import { uuid7 } from '../../schema/ids';
import { maskNik } from '../../schema/nik';
import type { ProblemCode } from '../../schema/problems';
import { newSession, setSessionCookie } from '../auth/sessions';
import { clientIp } from '../auth/throttle';
import { withAudit } from '../audit';
import type { CaseRow } from '../db/cases';
import { type Assurance, setSessionAssurance } from '../db/ikd';
import { registryFor, type Resident } from '../db/registry';
import { revokeSession } from '../db/sessions';
import { applyCommand, type EngineContext } from '../engine';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import type { Session } from '../middleware/session';

/** A resident as the engine sees them, before a session exists (registration, activation link). */
export function residentSessionFor(resident: Pick<Resident, 'nik' | 'name' | 'officeCode'>, tokenHash = ''): Session {
  return { tokenHash, subjectType: 'resident', subjectId: resident.nik, displayName: resident.name, officeCode: resident.officeCode, roles: ['resident'] };
}

export function engineContext(c: Context<AppEnv>, session: Session): EngineContext {
  return { db: c.env.DB, session, ip: clientIp(c.req), now: Date.now(), registry: registryFor(c.env) };
}

/** The ApiError a refused or conflicting command carries, so a route answers with the engine's own problem. */
function problemError(problem: { code: string; detail?: string; [k: string]: unknown }): ApiError {
  const { type: _t, title: _ti, status: _s, code, detail, ...extra } = problem;
  return new ApiError(code as ProblemCode, detail, extra);
}

/**
 * Applies one command and returns the case, or throws its problem (409 stale_version on a conflict; a lost race
 * for a slot's last place or for the one open case comes back as slot_full / ikd_case_open, see ikdConstraintProblem).
 */
export async function run(ctx: EngineContext, cmd: Command): Promise<CaseView> {
  const result = await applyCommand(ctx, cmd);
  if (result.problem) throw problemError(result.problem);
  if (!result.case) throw new Error('engine answered without a case');
  return result.case;
}

/** Runs `action` on the case at its current version (the caller just read it); commandId makes a retry idempotent. */
export function runAction(ctx: EngineContext, row: CaseRow, action: string, input: Record<string, unknown>, commandId?: string): Promise<CaseView> {
  return run(ctx, { id: commandId ?? uuid7(ctx.now), type: 'action', caseId: row.id, action, baseVersion: row.version, input });
}

/**
 * Starts a resident session of the given assurance, replacing the request's own session if it had one, audited,
 * and sets the cookie.
 */
export async function startResidentSession(c: Context<AppEnv>, nik: string, assurance: Assurance, auditAction: string): Promise<void> {
  const db = c.env.DB;
  const now = Date.now();
  const ip = clientIp(c.req);
  const session = await newSession(db, { type: 'resident', id: nik }, { now, ip, userAgent: c.req.header('user-agent') ?? null });
  const previous = c.get('session');
  await withAudit(db, [{ actor: `resident:${maskNik(nik)}`, action: auditAction, object: `resident:${maskNik(nik)}`, ip, detail: { assurance } }], () => [
    session.statement,
    setSessionAssurance(db, session.tokenHash, assurance),
    ...(previous ? [revokeSession(db, previous.tokenHash, now)] : []),
  ]);
  setSessionCookie(c, session.token);
}
