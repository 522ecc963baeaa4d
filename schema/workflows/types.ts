/** The shape of an SOP declared as data: states, actions, roles and standard times (mutu baku). */
import type { z } from 'zod';
import type { Role } from '../roles';

export interface StateDef {
  label: { id: string; en: string };
  /** Standard time (minutes) of the step that moves a case out of this state; absent for final states. */
  standardMinutes?: number;
  /** Who is expected to act next, for queues and the "time left" display. */
  actor?: Role[];
  final?: boolean;
}

export interface ActionDef<S extends string> {
  label: { id: string; en: string };
  /** States the action may be taken from; `null` means it creates the case. */
  from: readonly S[] | null;
  to: S;
  roles: readonly Role[];
  /** Required inputs, validated on the server and offline in the PWA. */
  input: z.ZodType;
  /** Message to the resident when the action is applied (channels chosen by contact data present). */
  notifyResident?: { subject: { id: string; en: string }; body: { id: string; en: string } };
  /** SOP step this action completes, for reports (e.g. "Seed 001 KTP-el step 2"). */
  sopStep?: string;
}

export interface WorkflowDef<S extends string = string, A extends string = string> {
  service: string;
  title: { id: string; en: string };
  source: string;
  initial: S;
  states: Record<S, StateDef>;
  actions: Record<A, ActionDef<S>>;
}

/** Result of a pure transition: the next state or the reason it is refused. */
export type Transition<S extends string> =
  | { ok: true; to: S; input: unknown }
  | { ok: false; code: 'illegal_action' | 'forbidden_role' | 'validation_failed'; detail: string };
