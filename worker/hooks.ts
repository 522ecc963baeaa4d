/**
 * Service-specific effects of an SOP action that the generic engine cannot know: extra checks, rows to write
 * in the same batch (guarded by the case stamp), data to merge into the case, and what of the input to record.
 */
import type { CaseRow, Guard } from './db/cases';
import type { EngineContext } from './engine';
import type { ApiError } from './errors';
import { ADUAN_HOOKS, aduanConstraintProblem } from './aduan/hooks';
import { BIRTH_HOOKS, birthConstraintProblem } from './birth/hooks';
import { IKD_HOOKS, ikdConstraintProblem } from './ikd/hooks';
import { KTPEL_HOOKS, ktpelConstraintProblem } from './ktpel/hooks';
import { RETAS_HOOKS } from './retas/hooks';

export interface HookArgs {
  ctx: EngineContext;
  action: string;
  /** The case before the action; null when the action creates it. */
  previous: CaseRow | null;
  /** The case as it will be written (state, version, data before the hook's patch). */
  next: CaseRow;
  /** The validated input. */
  input: Record<string, unknown>;
  guard: Guard;
}

export interface HookResult {
  /** Written in the engine's batch after the case row; build them guarded (`… WHERE EXISTS (… last_command_id = ?)`). */
  statements?: D1PreparedStatement[];
  /** Merged into the case's data. */
  data?: Record<string, unknown>;
  /** What the case data, step row and audit entry keep of the input (drop secrets such as PINs here). */
  recordedInput?: Record<string, unknown>;
}

/** Throw an ApiError to refuse the action; the engine reports it as `rejected`. */
export type ActionHook = ((args: HookArgs) => Promise<HookResult | void>) & {
  /**
   * Reads nothing another command of the same push could write (only the session's own account, say): the engine
   * then need not commit the earlier commands first, and a push of 100 such commands stays one batch.
   */
  pushIndependent?: true;
};

/**
 * Turns a constraint a service's own tables enforce (a trigger's RAISE, a partial unique index) into the problem
 * the user should see when a racing command trips it inside the engine's batch; undefined leaves it unknown (500).
 */
export type ConstraintProblem = (message: string) => ApiError | undefined;

/** service → action → hook. Each service's hooks live beside its routes. */
export const HOOKS: Record<string, Record<string, ActionHook>> = { ikd: IKD_HOOKS, aduan: ADUAN_HOOKS, birth: BIRTH_HOOKS, ktpel: KTPEL_HOOKS, retas: RETAS_HOOKS };

/** service → mapping of its own constraints to problems. */
export const CONSTRAINT_PROBLEMS: Record<string, ConstraintProblem> = { ikd: ikdConstraintProblem, aduan: aduanConstraintProblem, birth: birthConstraintProblem, ktpel: ktpelConstraintProblem };

export function constraintProblemFor(service: string, message: string): ApiError | undefined {
  return Object.hasOwn(CONSTRAINT_PROBLEMS, service) ? CONSTRAINT_PROBLEMS[service]!(message) : undefined;
}

export function hookFor(service: string, action: string): ActionHook | undefined {
  const forService = Object.hasOwn(HOOKS, service) ? HOOKS[service] : undefined;
  return forService && Object.hasOwn(forService, action) ? forService[action] : undefined;
}
