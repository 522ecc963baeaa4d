/** Contracts of the sync protocol (push of commands, pull of the change feed) and the case view, shared by worker and PWA. */
import { z } from 'zod';

/** UUIDv7: time-ordered ids made by the client, so commands and cases can be created offline. */
export const Uuid7 = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'must be a lower-case UUIDv7');

export const CreateCommand = z.strictObject({
  id: Uuid7,
  type: z.literal('create'),
  caseId: Uuid7,
  service: z.string().min(1).max(32),
  input: z.record(z.string(), z.unknown()),
});

export const ActionCommand = z.strictObject({
  id: Uuid7,
  type: z.literal('action'),
  caseId: Uuid7,
  action: z.string().min(1).max(64),
  baseVersion: z.number().int().min(1),
  input: z.record(z.string(), z.unknown()),
});

export const Command = z.discriminatedUnion('type', [CreateCommand, ActionCommand]);
export type Command = z.infer<typeof Command>;

export const MAX_COMMANDS_PER_PUSH = 100;
export const PushRequest = z.strictObject({ commands: z.array(Command).min(1).max(MAX_COMMANDS_PER_PUSH) });

export const CaseStepView = z.object({
  version: z.number(),
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string(),
  actor: z.string(),
  /** Display name of a staff actor; null for residents and the system. */
  actorName: z.string().nullable(),
  /** The action's recorded input (secrets never recorded; NIKs masked). */
  input: z.record(z.string(), z.unknown()),
  at: z.number(),
});

export const CaseView = z.object({
  id: z.string(),
  service: z.string(),
  officeCode: z.string(),
  state: z.string(),
  version: z.number(),
  residentNikMasked: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  stepStartedAt: z.number(),
  /** When the current step's standard time runs out, counted in office service hours; null for final states. */
  dueAt: z.number().nullable(),
  overrun: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  steps: z.array(CaseStepView).optional(),
});
export type CaseView = z.infer<typeof CaseView>;

export const ProblemBody = z.object({ type: z.string(), title: z.string(), status: z.number(), code: z.string(), detail: z.string().optional() }).passthrough();

export const CommandResult = z.object({
  commandId: z.string(),
  /**
   * `deferred` is not final: the command builds on a case or version the server has not received yet (its create
   * is still on its way). Nothing was stored; the client keeps it and sends it again after the missing command.
   */
  status: z.enum(['applied', 'duplicate', 'conflict', 'rejected', 'deferred']),
  case: CaseView.optional(),
  problem: ProblemBody.optional(),
});
export type CommandResult = z.infer<typeof CommandResult>;

export const PushResponse = z.object({ results: z.array(CommandResult) });
export const PullResponse = z.object({ cursor: z.number(), more: z.boolean(), cases: z.array(CaseView) });
export type PullResponse = z.infer<typeof PullResponse>;
