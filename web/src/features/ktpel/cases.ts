/** The KTP-el cases this device knows, with unsent changes applied, and the step-time figures shown for each. */
import { createMemo } from 'solid-js';
import { ktpel } from '../../../../schema/workflows/ktpel';
import { db } from '../../db';
import { createLive } from '../../state/live';
import { useSync } from '../../state/sync';
import { type LocalCase, deriveCases, stamp } from '../../sync/view';

export const wf = ktpel;

/** All KTP-el cases of the office (cache + outbox), newest first. */
export function useKtpelCases() {
  const sync = useSync();
  const cached = createLive(() => db.cases.toArray(), []);
  return createMemo(() => deriveCases(cached(), sync.outbox()).filter((c) => c.service === ktpel.service));
}

export function isFinal(c: Pick<LocalCase, 'state'>): boolean {
  return ktpel.states[c.state as keyof typeof ktpel.states]?.final === true;
}

export function stateLabel(state: string): { id: string; en: string } {
  return ktpel.states[state as keyof typeof ktpel.states]?.label ?? { id: state, en: state };
}

export function actionLabel(action: string): { id: string; en: string } {
  return ktpel.actions[action as keyof typeof ktpel.actions]?.label ?? { id: action, en: action };
}

export type StepClock =
  | { kind: 'final' }
  | { kind: 'none' } // a state without a standard time (e.g. returned to the resident)
  | { kind: 'pending'; standardMinutes: number } // created/changed offline: the server sets the deadline
  | { kind: 'left'; standardMinutes: number; ms: number; dueAt: number }
  | { kind: 'overrun'; standardMinutes: number; ms: number; dueAt: number };

/** Standard time of the current step and how much of it is left, from the server's dueAt (office hours applied). */
export function stepClock(c: LocalCase, now: number): StepClock {
  const def = ktpel.states[c.state as keyof typeof ktpel.states];
  if (!def || def.final) return { kind: 'final' };
  const standardMinutes = def.standardMinutes;
  if (standardMinutes === undefined) return { kind: 'none' };
  if (c.dueAt === null || c.unsynced.length > 0) return { kind: 'pending', standardMinutes };
  const due = stamp(c.dueAt);
  if (c.overrun || now > due) return { kind: 'overrun', standardMinutes, ms: now - due, dueAt: due };
  return { kind: 'left', standardMinutes, ms: due - now, dueAt: due };
}
