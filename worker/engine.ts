/**
 * The SOP engine: applies commands (create or action) to cases. A push of many commands costs a bounded number of
 * D1 round trips: the commands, cases and residents it names are read together, every command is checked in memory
 * in the order given, and the writes of all commands go out as one batch — each command's rows guarded by its own
 * version-checked case write, so one command that loses a race changes nothing of the others.
 */
import type { Command, CommandResult } from '../schema/contracts/sync';
import { transition, workflowOf } from '../schema/workflows';
import type { WorkflowDef } from '../schema/workflows/types';
import { auditStatements } from './audit';
import * as db from './db/cases';
import { ApiError } from './errors';
import type { Session } from './middleware/session';
import { notifyResidentIf } from './notify/outbox';
import { caseView, visibleTo } from './case-view';
import type { Registry, Resident } from './db/registry';
import { constraintProblemFor, hookFor } from './hooks';
import { maskNik } from '../schema/nik';
import { partnerMayAccess } from './birth/access';

export interface EngineContext {
  db: D1Database;
  session: Session;
  ip: string | null;
  now: number;
  /** The population registry (D1 today, SIAK later): home office and contact data of residents. */
  registry: Pick<Registry, 'findResident'> & Partial<Pick<Registry, 'findResidents'>>;
}

/** Who acted, as audit entries and case steps record it: a resident's NIK is masked there. */
const actorOf = (s: Session) => (s.subjectType === 'resident' ? `resident:${maskNik(s.subjectId)}` : `staff:${s.subjectId}`);
/** Whose command it is, exactly, so a repeat by someone else is refused (the command log is not shown to anyone). */
const subjectKey = (s: Session) => `${s.subjectType}:${s.subjectId}`;

/**
 * Applies one command idempotently: a command id seen before returns its first result with status `duplicate`.
 * @example await applyCommand(ctx, { id, type: 'action', caseId, action: 'accept', baseVersion: 1, input: {} })
 */
export async function applyCommand(ctx: EngineContext, cmd: Command): Promise<CommandResult> {
  return (await applyCommands(ctx, [cmd]))[0]!;
}

/** A command checked against the state it will meet, with the rows it writes if it still holds in the batch. */
interface Planned {
  index: number;
  cmd: Command;
  /** The case row as this command leaves it. */
  next: db.CaseRow;
  /** The version-guarded case write; the rest of `statements` is guarded by the case stamp it sets. */
  statements: D1PreparedStatement[];
  service: string;
}

/** Everything a push reads before it writes, fetched in one go; later commands see earlier ones' planned effects. */
interface PushState {
  seen: Map<string, db.CommandRow>;
  /** null: known not to exist on the server (yet). */
  cases: Map<string, db.CaseRow | null>;
}

/**
 * Applies `cmds` in order; later commands may build on earlier ones (create, then act on the new case).
 * Results come back in the same order.
 */
export async function applyCommands(ctx: EngineContext, cmds: Command[]): Promise<CommandResult[]> {
  const caseIds = [...new Set(cmds.map((c) => c.caseId))];
  // One round trip for what the push names (in production each read is its own request, sent together).
  const niks = createNiks(cmds);
  const [{ seen, cases }, residents] = await Promise.all([db.readPushState(ctx.db, cmds.map((c) => c.id), caseIds), residentsOf(ctx, niks)]);
  const state: PushState = { seen, cases: new Map(caseIds.map((id) => [id, cases.get(id) ?? null])) };
  const registry = prefetchedRegistry(ctx, niks, residents, state);
  const ectx: EngineContext = { ...ctx, registry };

  const results: CommandResult[] = new Array(cmds.length);
  let pending: Planned[] = [];
  /** Refusals to remember, so a repeat of the command gets the same answer; written with the next batch. */
  let refusals: { index: number; result: CommandResult; caseId: string }[] = [];
  const firstIndexOf = new Map<string, number>();

  const flush = async () => {
    if (!pending.length && !refusals.length) return;
    const batch = pending;
    const stored = refusals;
    pending = [];
    refusals = [];
    await commitPlans(ectx, batch, stored, state, results);
  };

  for (let i = 0; i < cmds.length; i++) {
    const cmd = cmds[i]!;
    const earlier = firstIndexOf.get(cmd.id);
    if (earlier !== undefined) {
      // The same command twice in one push: answer it like a resend once the first one is settled.
      await flush();
      const first = results[earlier]!;
      results[i] = { ...first, status: first.status === 'applied' ? 'duplicate' : first.status };
      continue;
    }
    firstIndexOf.set(cmd.id, i);
    const prior = state.seen.get(cmd.id);
    if (prior) {
      results[i] = await repeatOf(ectx, prior, cmd.id, state);
      continue;
    }
    // A service hook may read rows that earlier commands of this push write: settle those first.
    const hook = hookFor(serviceOf(cmd, state) ?? '', cmd.type === 'create' ? createActionOf(cmd.service) ?? '' : cmd.action);
    const hooked = hook !== undefined && !hook.pushIndependent;
    if (hooked) await flush();
    try {
      const planned = await plan(ectx, cmd, i, state);
      if ('result' in planned) {
        results[i] = planned.result;
        if (planned.store) refusals.push({ index: i, result: planned.result, caseId: cmd.caseId });
      } else {
        pending.push(planned);
        state.cases.set(cmd.caseId, planned.next);
      }
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      results[i] = rejected(cmd.id, err);
      refusals.push({ index: i, result: results[i]!, caseId: cmd.caseId });
    }
    if (hooked) await flush();
  }
  await flush();
  return results;
}

function serviceOf(cmd: Command, state: PushState): string | undefined {
  return cmd.type === 'create' ? cmd.service : state.cases.get(cmd.caseId)?.service;
}

function createActionOf(service: string): string | undefined {
  const wf = workflowOf(service);
  return wf ? Object.entries(wf.actions).find(([, d]) => d.from === null)?.[0] : undefined;
}

/** NIKs the push's creates name (validated later by the workflow; only well-formed ones are looked up). */
function createNiks(cmds: Command[]): string[] {
  return cmds.flatMap((c) => (c.type === 'create' && typeof c.input.nik === 'string' && /^\d{16}$/.test(c.input.nik) ? [c.input.nik] : []));
}

async function residentsOf(ctx: EngineContext, niks: string[]): Promise<Map<string, Resident>> {
  return niks.length && ctx.registry.findResidents ? ctx.registry.findResidents(niks) : new Map();
}

/**
 * A registry that answers from the residents read with the push: those its creates name, and those of the cases
 * its actions touch (for notifications), fetched together in one more query the first time one is asked for.
 */
function prefetchedRegistry(ctx: EngineContext, niks: string[], found: Map<string, Resident>, state: PushState): EngineContext['registry'] {
  const inner = ctx.registry;
  if (!inner.findResidents) return inner;
  const known = new Set(niks);
  const missing = [...new Set([...state.cases.values()].flatMap((row) => (row?.resident_nik && !known.has(row.resident_nik) ? [row.resident_nik] : [])))];
  const asked = new Set([...known, ...missing]);
  let rest: Promise<void> | undefined;
  const readRest = () =>
    (rest ??= missing.length ? inner.findResidents!(missing).then((more) => void more.forEach((r, nik) => found.set(nik, r))) : Promise.resolve());
  return {
    findResident: async (nik: string) => {
      if (!asked.has(nik)) return inner.findResident(nik);
      if (!known.has(nik)) await readRest();
      return found.get(nik);
    },
    findResidents: inner.findResidents.bind(inner),
  };
}

function rejected(commandId: string, err: ApiError): CommandResult {
  return { commandId, status: 'rejected', problem: err.toProblem() };
}

/**
 * Not a final answer: the command builds on a case or a version the server has not received yet (its create or an
 * earlier action is still on its way, perhaps from another device). Never stored; a resend is judged afresh.
 */
function deferred(commandId: string, code: 'case_not_arrived' | 'version_not_arrived', detail: string): CommandResult {
  return { commandId, status: 'deferred', problem: new ApiError(code, detail).toProblem() };
}

async function repeatOf(ctx: EngineContext, seen: db.CommandRow, commandId: string, state?: PushState): Promise<CommandResult> {
  if (seen.subject_id !== subjectKey(ctx.session)) return rejected(commandId, new ApiError('forbidden_object', 'Command id belongs to someone else'));
  const { caseId, ...first } = JSON.parse(seen.result_json) as StoredResult;
  // The case as it is now; never for a refusal, which may have been about someone else's case.
  let current: db.CaseRow | null = null;
  if (first.status !== 'rejected') current = (state?.cases.get(caseId) ?? null) || (await db.getCase(ctx.db, caseId));
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

function checkTransition(wf: WorkflowDef, state: string | null, action: string, session: Session, input: unknown) {
  const t = transition(wf, state, action, session.roles, input);
  if (!t.ok) throw new ApiError(t.code, t.detail);
  return t;
}

type PlanOutcome = Planned | { result: CommandResult; store: boolean };

async function plan(ctx: EngineContext, cmd: Command, index: number, state: PushState): Promise<PlanOutcome> {
  return cmd.type === 'create' ? planCreate(ctx, cmd, index, state) : planAction(ctx, cmd, index, state);
}

async function planCreate(ctx: EngineContext, cmd: Extract<Command, { type: 'create' }>, index: number, state: PushState): Promise<PlanOutcome> {
  const wf = workflowOf(cmd.service);
  if (!wf) throw new ApiError('unknown_service', `No service "${cmd.service}"`);
  const action = createActionOf(cmd.service);
  if (!action) throw new ApiError('illegal_action', `${cmd.service} cases are not created by commands`);

  const existing = state.cases.get(cmd.caseId);
  if (existing) return { result: await conflict(ctx, cmd.id, existing, 'case_exists'), store: true };

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
  const statements = await rowsOf(ctx, wf, action, null, hooked.next, hooked.input, guard, db.insertCaseIfNew(ctx.db, hooked.next), hooked.statements);
  return { index, cmd, next: hooked.next, statements, service: wf.service };
}

async function planAction(ctx: EngineContext, cmd: Extract<Command, { type: 'action' }>, index: number, state: PushState): Promise<PlanOutcome> {
  const current = state.cases.get(cmd.caseId);
  if (!current) return { result: deferred(cmd.id, 'case_not_arrived', 'The case has not reached the server yet; this command is sent again after it'), store: false };
  checkObject(ctx.session, current);
  const wf = workflowOf(current.service);
  if (!wf) throw new ApiError('unknown_service');
  if (cmd.baseVersion > current.version) {
    return { result: deferred(cmd.id, 'version_not_arrived', `Built on version ${cmd.baseVersion}; the server has ${current.version}`), store: false };
  }
  if (cmd.baseVersion < current.version) return { result: await conflict(ctx, cmd.id, current, 'stale_version'), store: true };

  const t = checkTransition(wf, current.state, cmd.action, ctx.session, cmd.input);
  const input = t.input as Record<string, unknown>;
  const guard = { caseId: current.id, commandId: cmd.id };
  const next: db.CaseRow = {
    ...current,
    state: t.to,
    version: current.version + 1,
    // A step that stays in its state (a spoiled blank while printing) is still the same step: its clock runs on.
    step_started_at: t.to === current.state ? current.step_started_at : ctx.now,
    updated_at: ctx.now,
    last_command_id: cmd.id,
  };
  const hooked = await runHook(ctx, wf, cmd.action, current, next, input, guard);
  const write = db.updateCaseIfVersion(ctx.db, current.id, current.version, hooked.next);
  const statements = await rowsOf(ctx, wf, cmd.action, current.state, hooked.next, hooked.input, guard, write, hooked.statements);
  return { index, cmd, next: hooked.next, statements, service: wf.service };
}

/** Staff act only on their office's cases; a resident only on their own. */
export function checkObject(session: Session, c: db.CaseRow): void {
  if (session.subjectType === 'resident') {
    if (c.resident_nik !== session.subjectId) throw new ApiError('forbidden_object');
  } else if (c.office_code !== session.officeCode || !partnerMayAccess(session, c)) throw new ApiError('forbidden_object');
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
  // A conflict shows the case as it is now: never to someone whose roles take no part in its service.
  if (!visibleTo(ctx.session, current)) throw new ApiError('forbidden_role');
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

/** The command's rows, case write first: step, change-feed entry, hook rows, notifications, command log, audit entry. */
async function rowsOf(
  ctx: EngineContext,
  wf: WorkflowDef,
  action: string,
  fromState: string | null,
  next: db.CaseRow,
  input: Record<string, unknown>,
  guard: db.Guard,
  write: D1PreparedStatement,
  extra: D1PreparedStatement[],
): Promise<D1PreparedStatement[]> {
  const [notify, audit] = await Promise.all([
    notifications(ctx, wf, action, next, input, guard),
    auditStatements(ctx.db, [
      { actor: actorOf(ctx.session), action: `${wf.service}.${action}`, object: `case:${next.id}`, ip: ctx.ip, detail: { from: fromState, to: next.state, version: next.version, input }, guard },
    ], new Date(ctx.now)),
  ]);
  const stored = storedResult({ commandId: guard.commandId, status: 'applied' }, next.id);
  return [
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
  ];
}

/**
 * Writes the planned commands (and remembered refusals) as one batch, then tells which planned writes held.
 * If the batch fails as a whole (a constraint of a service's own table), each command is written alone, so one
 * command's failure never rolls back another's result.
 */
async function commitPlans(
  ctx: EngineContext,
  plans: Planned[],
  refusals: { index: number; result: CommandResult; caseId: string }[],
  state: PushState,
  results: CommandResult[],
): Promise<void> {
  const refusalRows = refusals.map((r) =>
    db.insertCommand(ctx.db, r.result.commandId, { subject_id: subjectKey(ctx.session), received_at: ctx.now, status: r.result.status as 'conflict' | 'rejected', result_json: JSON.stringify(storedResult(r.result, r.caseId)) }),
  );
  const held = new Map<Planned, boolean>();
  try {
    const out = await ctx.db.batch([...plans.flatMap((p) => p.statements), ...refusalRows]);
    let offset = 0;
    for (const p of plans) {
      held.set(p, out[offset]?.meta.changes === 1);
      offset += p.statements.length;
    }
  } catch (err) {
    if (plans.length + refusalRows.length <= 1) {
      if (!plans.length) throw err;
      held.set(plans[0]!, await failedAlone(ctx, plans[0]!, err, results));
    } else {
      for (const p of plans) {
        try {
          const out = await ctx.db.batch(p.statements);
          held.set(p, out[0]?.meta.changes === 1);
        } catch (one) {
          held.set(p, await failedAlone(ctx, p, one, results));
        }
      }
      if (refusalRows.length) await ctx.db.batch(refusalRows);
    }
  }

  const lost = plans.filter((p) => !held.get(p) && results[p.index] === undefined);
  for (const p of plans) {
    if (held.get(p)) results[p.index] = { commandId: p.cmd.id, status: 'applied', case: await caseView(ctx.db, p.next) };
  }
  if (!lost.length) return;
  // A planned write that changed nothing: another writer got there first — maybe this very command, sent twice at once.
  const { seen, cases: now } = await db.readPushState(ctx.db, lost.map((p) => p.cmd.id), lost.map((p) => p.cmd.caseId));
  const conflicts: { index: number; result: CommandResult; caseId: string }[] = [];
  for (const p of lost) {
    const current = now.get(p.cmd.caseId) ?? null;
    state.cases.set(p.cmd.caseId, current);
    const first = seen.get(p.cmd.id);
    if (first) {
      results[p.index] = await repeatOf(ctx, first, p.cmd.id, state);
      continue;
    }
    if (!current) {
      results[p.index] = deferred(p.cmd.id, 'case_not_arrived', 'The case has not reached the server yet; this command is sent again after it');
      continue;
    }
    results[p.index] = await conflict(ctx, p.cmd.id, current, p.cmd.type === 'create' ? 'case_exists' : 'stale_version');
    conflicts.push({ index: p.index, result: results[p.index]!, caseId: p.cmd.caseId });
  }
  if (conflicts.length) {
    await ctx.db.batch(
      conflicts.map((r) => db.insertCommand(ctx.db, r.result.commandId, { subject_id: subjectKey(ctx.session), received_at: ctx.now, status: 'conflict', result_json: JSON.stringify(storedResult(r.result, r.caseId)) })),
    );
  }
}

/** A command whose own batch failed: a service constraint becomes its refusal (remembered); anything else is a bug. */
async function failedAlone(ctx: EngineContext, p: Planned, err: unknown, results: CommandResult[]): Promise<boolean> {
  const message = err instanceof Error ? err.message : '';
  // The same command applied by a concurrent request in the meantime: its guarded rows exist already.
  if (/UNIQUE constraint failed: (commands\.id|case_steps\.)/.test(message)) return false;
  const known = constraintProblemFor(p.service, message);
  if (!known) throw err;
  results[p.index] = rejected(p.cmd.id, known);
  await db
    .insertCommand(ctx.db, p.cmd.id, { subject_id: subjectKey(ctx.session), received_at: ctx.now, status: 'rejected', result_json: JSON.stringify(storedResult(results[p.index]!, p.cmd.caseId)) })
    .run();
  return false;
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
