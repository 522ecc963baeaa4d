/** Every service's SOP table, by service name, and the pure transition rule the engine and the PWA share. */
import type { Role } from '../roles';
import { aduan } from './aduan';
import { birth } from './birth';
import { ikd } from './ikd';
import { ktpel } from './ktpel';
import { retas } from './retas';
import type { Transition, WorkflowDef } from './types';

export const WORKFLOWS: Record<string, WorkflowDef> = { ktpel, ikd, aduan, birth, retas } as unknown as Record<string, WorkflowDef>;

export function workflowOf(service: string): WorkflowDef | undefined {
  return Object.hasOwn(WORKFLOWS, service) ? WORKFLOWS[service] : undefined;
}

/**
 * Decides whether `roles` may take `action` from `state` (null: the case does not exist yet).
 * Pure: the worker engine and the PWA's offline form both call it.
 * @example transition(ktpel, 'submitted', 'accept', ['front_office'], {}) // { ok: true, to: 'accepted' }
 */
export function transition(
  wf: WorkflowDef,
  state: string | null,
  action: string,
  roles: readonly Role[],
  input: unknown,
): Transition<string> {
  const def = Object.hasOwn(wf.actions, action) ? wf.actions[action] : undefined;
  if (!def) return { ok: false, code: 'illegal_action', detail: `Unknown action "${action}" for ${wf.service}` };
  const fromOk = def.from === null ? state === null : state !== null && def.from.includes(state);
  if (!fromOk) {
    return { ok: false, code: 'illegal_action', detail: `"${action}" is not allowed ${state === null ? 'before the case exists' : `in state "${state}"`}` };
  }
  if (!roles.some((r) => def.roles.includes(r))) {
    return { ok: false, code: 'forbidden_role', detail: `"${action}" needs one of: ${def.roles.join(', ')}` };
  }
  const parsed = def.input.safeParse(input);
  if (!parsed.success) {
    return { ok: false, code: 'validation_failed', detail: parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ') };
  }
  return { ok: true, to: def.to, input: parsed.data };
}

/** Actions `roles` may take from `state`, for buttons and queues. */
export function availableActions(wf: WorkflowDef, state: string | null, roles: readonly Role[]): string[] {
  return Object.entries(wf.actions)
    .filter(([, d]) => (d.from === null ? state === null : state !== null && d.from.includes(state)))
    .filter(([, d]) => roles.some((r) => d.roles.includes(r)))
    .map(([name]) => name);
}
