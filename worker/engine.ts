/**
 * The SOP engine: applies one command (create or action) to a case in a single D1 batch —
 * version-guarded state change, step row, change-feed row, audit entry, notification rows and the command's result.
 */
import type { Command, CommandResult } from '../schema/contracts/sync';
import type { ProblemCode } from '../schema/problems';
import { transition, workflowOf } from '../schema/workflows';
import type { WorkflowDef } from '../schema/workflows/types';
import { auditStatements } from './audit';
import { chainHead } from './db/audit';
import * as db from './db/cases';
import { ApiError } from './errors';
import type { Session } from './middleware/session';
import { notifyResidentIf } from './notify/outbox';
import { caseView } from './case-view';
import type { Registry } from './db/registry';
import { constraintProblemFor, hookFor } from './hooks';
import { maskNik } from '../schema/nik';

export interface EngineContext {
  db: D1Database;
  session: Session;
  ip: string | null;
  now: number;
  /** The population registry (D1 today, SIAK later): home office and contact data of residents. */
  registry: Pick<Registry, 'findResident'>;
}

/** Who acted, as audit entries and case steps record it: a resident's NIK is masked there. */
const actorOf = (s: Session) => (s.subjectType === 'resident' ? `resident:${maskNik(s.subjectId)}` : `staff:${s.subjectId}`);
/** Whose command it is, exactly, so a repeat by someone else is refused (the command log is not shown to anyone). */
const subjectKey = (s: Session) => `${s.subjectType}:${s.subjectId}`;

function rejected(commandId: string, err: ApiError): CommandResult {
  return { commandId, status: 'rejected', problem: err.toProblem() };
}

/**
 * Applies `cmd` idempotently: a command id seen before returns its first result with status `duplicate`.
 * @example await applyCommand(ctx, { id, type: 'action', caseId, action: 'accept', baseVersion: 1, input: {} })
 */
export async function applyCommand(ctx: EngineContext, cmd: Command): Promise<CommandResult> {
  const seen = await db.getCommand(ctx.db, cmd.id);
  if (seen) return repeatOf(ctx, seen, cmd.id);

  let result: CommandResult;
  try {
    result = cmd.type === 'create' ? await create(ctx, cmd) : await act(ctx, cmd);
  } catch (err) {
    if (err instanceof ApiError) result = rejected(cmd.id, err);
    else if (isDuplicateCommand(err)) {
      const first = await db.getCommand(ctx.db, cmd.id);
      if (first) return repeatOf(ctx, first, cmd.id);
      throw err;
    } else throw err;
  }
  if (result.status === 'conflict' || result.status === 'rejected') {
    // Remember refusals too, so a repeat of this command gets the same answer.
    const stored = storedResult(result, cmd.caseId);
    await db.insertCommand(ctx.db, cmd.id, { subject_id: subjectKey(ctx.session), received_at: ctx.now, status: result.status, result_json: JSON.stringify(stored) }).run();
  }
  return result;
}

async function repeatOf(ctx: EngineContext, seen: db.CommandRow, commandId: string): Promise<CommandResult> {
  if (seen.subject_id !== subjectKey(ctx.session)) return rejected(commandId, new ApiError('forbidden_object', 'Command id belongs to someone else'));
  const { caseId, ...first } = JSON.parse(seen.result_json) as StoredResult;
  // The case as it is now; never for a refusal, which may have been about someone else's case.
  const current = first.status !== 'rejected' ? await db.getCase(ctx.db, caseId) : null;
  // `duplicate` means "already applied". A repeated conflict or refusal keeps its status, so a client that never
  // saw the first answer (its tab closed, or a service worker pushed it) still shows the user what to do.
  const status = first.status === 'applied' ? 'duplicate' : first.status;
  return { ...first, commandId, status, ...(current ? { case: await caseView(ctx.db, current) } : {}) };
}

type StoredResult = Omit<CommandResult, 'case'> & { caseId: string };

/** What the command log keeps of a result: its outcome and case id; the case itself is read fresh on a repeat. */
function storedResult(r: CommandResult, caseId: string): StoredResult {
  const { case: _omitted, ...rest } = r;
  return { ...rest, caseId };
}

function isDuplicateCommand(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed: commands\.id/.test(err.message);
}

function problemOf(code: ProblemCode, detail: string): ApiError {
  return new ApiError(code, detail);
}

function checkTransition(wf: WorkflowDef, state: string | null, action: string, session: Session, input: unknown) {
  const t = transition(wf, state, action, session.roles, input);
  if (!t.ok) throw problemOf(t.code, t.detail);
  return t;
}

async function create(ctx: EngineContext, cmd: Extract<Command, { type: 'create' }>): Promise<CommandResult> {
  const wf = workflowOf(cmd.service);
  if (!wf) throw new ApiError('unknown_service', `No service "${cmd.service}"`);
  const [action] = Object.entries(wf.actions).find(([, d]) => d.from === null) ?? [];
  if (!action) throw new ApiError('illegal_action', `${cmd.service} cases are not created by commands`);

  const existing = await db.getCase(ctx.db, cmd.caseId);
  if (existing) return conflict(ctx, cmd.id, existing, 'case_exists');

  const t = checkTransition(wf, null, action, ctx.session, cmd.input);
  const input = t.input as Record<string, unknown>;
  const residentNik = typeof input.nik === 'string' ? input.nik : null;
  await checkResident(ctx, residentNik);

  const guard = { caseId: cmd.caseId, commandId: cmd.id };
  const row: db.CaseRow = {
    id: cmd.caseId,
    service: wf.service,
    office_code: ctx.session.officeCode,
    state: t.to,
    version: 1,
    resident_nik: residentNik,
    data_json: JSON.stringify(input),
    step_started_at: ctx.now,
    created_by: actorOf(ctx.session),
    created_at: ctx.now,
    updated_at: ctx.now,
    last_command_id: cmd.id,
  };
  const hooked = await runHook(ctx, wf, action, null, row, input, guard);
  return commit(ctx, wf, action, null, hooked.next, hooked.input, guard, db.insertCase(ctx.db, hooked.next), hooked.statements);
}

async function act(ctx: EngineContext, cmd: Extract<Command, { type: 'action' }>): Promise<CommandResult> {
  const current = await db.getCase(ctx.db, cmd.caseId);
  if (!current) throw new ApiError('case_not_found');
  checkObject(ctx.session, current);
  const wf = workflowOf(current.service);
  if (!wf) throw new ApiError('unknown_service');
  if (current.version !== cmd.baseVersion) return conflict(ctx, cmd.id, current, 'stale_version');

  const t = checkTransition(wf, current.state, cmd.action, ctx.session, cmd.input);
  const input = t.input as Record<string, unknown>;
  const guard = { caseId: current.id, commandId: cmd.id };
  const next: db.CaseRow = {
    ...current,
    state: t.to,
    version: current.version + 1,
    data_json: current.data_json,
    step_started_at: ctx.now,
    updated_at: ctx.now,
    last_command_id: cmd.id,
  };
  const hooked = await runHook(ctx, wf, cmd.action, current, next, input, guard);
  const update = db.updateCaseIfVersion(ctx.db, current.id, current.version, hooked.next);
  return commit(ctx, wf, cmd.action, current.state, hooked.next, hooked.input, guard, update, hooked.statements);
}

/** Staff act only on their office's cases; a resident only on their own. */
export function checkObject(session: Session, c: db.CaseRow): void {
  if (session.subjectType === 'resident') {
    if (c.resident_nik !== session.subjectId) throw new ApiError('forbidden_object');
  } else if (c.office_code !== session.officeCode) throw new ApiError('forbidden_object');
}

async function checkResident(ctx: EngineContext, nik: string | null): Promise<void> {
  if (!nik) return;
  if (ctx.session.subjectType === 'resident' && nik !== ctx.session.subjectId) {
    throw new ApiError('forbidden_object', 'A resident applies only for themselves');
  }
  const found = await ctx.registry.findResident(nik);
  if (!found) throw new ApiError('resident_not_found', 'NIK tidak terdaftar di database kependudukan / NIK not in the registry');
  if (found.officeCode !== ctx.session.officeCode) throw new ApiError('forbidden_object', 'Resident belongs to another office');
}

async function conflict(ctx: EngineContext, commandId: string, current: db.CaseRow, code: 'stale_version' | 'case_exists'): Promise<CommandResult> {
  checkObject(ctx.session, current);
  const detail = code === 'stale_version' ? `Case is at version ${current.version}, state "${current.state}"` : 'Case id already used';
  return { commandId, status: 'conflict', problem: new ApiError(code, detail).toProblem(), case: await caseView(ctx.db, current) };
}

/**
 * Lets the service's hook refuse, add rows and data, and decide what of the input is recorded;
 * then merges the recorded input into the case data (creation stores it as the data).
 */
async function runHook(
  ctx: EngineContext,
  wf: WorkflowDef,
  action: string,
  previous: db.CaseRow | null,
  next: db.CaseRow,
  input: Record<string, unknown>,
  guard: db.Guard,
): Promise<{ next: db.CaseRow; input: Record<string, unknown>; statements: D1PreparedStatement[] }> {
  const hook = hookFor(wf.service, action);
  const out = (hook ? await hook({ ctx, action, previous, next, input, guard }) : undefined) ?? {};
  const recorded = out.recordedInput ?? input;
  const base = previous ? (JSON.parse(previous.data_json) as Record<string, unknown>) : {};
  const data = { ...base, ...recorded, ...(out.data ?? {}) };
  return { next: { ...next, data_json: JSON.stringify(data) }, input: recorded, statements: out.statements ?? [] };
}

async function commit(
  ctx: EngineContext,
  wf: WorkflowDef,
  action: string,
  fromState: string | null,
  next: db.CaseRow,
  input: Record<string, unknown>,
  guard: db.Guard,
  write: D1PreparedStatement,
  extra: D1PreparedStatement[],
): Promise<CommandResult> {
  // Three independent reads: in production each is a round trip to the database, so they go out together.
  const [view, notify, firstHead] = await Promise.all([caseView(ctx.db, next), notifications(ctx, wf, action, next, input, guard), chainHead(ctx.db)]);
  const applied: CommandResult = { commandId: guard.commandId, status: 'applied', case: view };
  const stored = storedResult(applied, next.id);

  for (let attempt = 1; ; attempt++) {
    const head = attempt === 1 ? firstHead : await chainHead(ctx.db);
    const audit = await auditStatements(ctx.db, head, [
      {
        actor: actorOf(ctx.session),
        action: `${wf.service}.${action}`,
        object: `case:${next.id}`,
        ip: ctx.ip,
        detail: { from: fromState, to: next.state, version: next.version, input },
        guard,
      },
    ]);
    try {
      const results = await ctx.db.batch([
        write,
        db.insertStepIf(ctx.db, guard, {
          version: next.version, action, from_state: fromState, to_state: next.state,
          actor_id: actorOf(ctx.session), at: ctx.now, input_json: JSON.stringify(input),
        }),
        db.insertChangeIf(ctx.db, guard, { office_code: next.office_code, resident_nik: next.resident_nik, version: next.version, at: ctx.now }),
        ...extra,
        ...notify,
        db.insertCommandIf(ctx.db, guard, { subject_id: subjectKey(ctx.session), received_at: ctx.now, status: 'applied', result_json: JSON.stringify(stored) }),
        ...audit,
      ]);
      if (results[0]?.meta.changes === 1) return applied;
      // Another writer moved the case between our read and the batch: nothing else was written.
      const now = await db.getCase(ctx.db, next.id);
      if (!now) throw new ApiError('case_not_found');
      return conflict(ctx, guard.commandId, now, 'stale_version');
    } catch (err) {
      const message = err instanceof Error ? err.message : '';
      if (fromState === null && /UNIQUE constraint failed: cases\.id/.test(message)) {
        // Two creates of one case id raced; the loser reports the winner's case.
        const winner = await db.getCase(ctx.db, next.id);
        if (winner) return conflict(ctx, guard.commandId, winner, 'case_exists');
      }
      const known = constraintProblemFor(wf.service, message);
      if (known) throw known;
      if (!/UNIQUE constraint failed: audit_log\./.test(message) || attempt >= 5) throw err;
    }
  }
}

async function notifications(ctx: EngineContext, wf: WorkflowDef, action: string, c: db.CaseRow, input: Record<string, unknown>, guard: db.Guard) {
  const tpl = wf.actions[action]?.notifyResident;
  if (!tpl || !c.resident_nik) return [];
  const contacts = await ctx.registry.findResident(c.resident_nik);
  const data = JSON.parse(c.data_json) as Record<string, unknown>;
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => (k === 'caseId' ? c.id : String(input[k] ?? data[k] ?? '')));
  const subject = fill(tpl.subject.id);
  const body = fill(tpl.body.id);
  const phone = (typeof data.phone === 'string' ? data.phone : null) ?? contacts?.phone ?? null;
  return notifyResidentIf(ctx.db, { email: contacts?.email, phone }, { subject, body }, c.id, ctx.now, guard);
}
