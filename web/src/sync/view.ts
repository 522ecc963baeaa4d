/**
 * What the user sees of a case: the server's copy with the user's unsent commands applied on top
 * ("belum tersinkron"). Derived, never stored, so a conflict needs no rollback: the server copy is intact.
 */
import { workflowOf } from '../../../schema/workflows';
import type { CachedCase, CaseView, OutboxCommand } from '../db';

export interface LocalCase extends CachedCase {
  /** commands for this case still waiting in the outbox (pending/sending) */
  unsynced: OutboxCommand[];
  /** conflicted or rejected commands for this case: the user has to decide */
  needsAttention: OutboxCommand[];
  /** false while the case exists only on this device */
  onServer: boolean;
}

/**
 * 1571012304900001 → 1571••••••••0001, the same shape as the server's residentNikMasked (schema/nik.ts maskNik,
 * not imported here because that module pulls the region tables into the app bundle).
 */
export function maskNik(nik: string): string {
  if (nik.length <= 8) return '•'.repeat(nik.length);
  return nik.slice(0, 4) + '•'.repeat(nik.length - 8) + nik.slice(-4);
}

const waiting = (c: OutboxCommand) => c.status === 'pending' || c.status === 'sending';

/** Applies unsent commands, in order, to the cached cases; cases created offline appear too. */
export function deriveCases(cached: CachedCase[], outbox: OutboxCommand[]): LocalCase[] {
  const byId = new Map<string, LocalCase>();
  for (const c of cached) byId.set(c.id, { ...c, unsynced: [], needsAttention: [], onServer: true });
  const ordered = [...outbox].sort((a, b) => a.seq - b.seq);
  for (const cmd of ordered) {
    let view = byId.get(cmd.caseId);
    if (!waiting(cmd)) {
      if (view) view.needsAttention.push(cmd);
      else if (cmd.type === 'create') {
        // a rejected create: show it so the user finds it from the list too
        const local = fromCreate(cmd);
        local.needsAttention.push(cmd);
        byId.set(cmd.caseId, local);
      }
      continue;
    }
    if (cmd.type === 'create') {
      if (!view) {
        view = fromCreate(cmd);
        byId.set(cmd.caseId, view);
      }
      view.unsynced.push(cmd);
      continue;
    }
    if (!view) continue; // an action on a case this device never saw: shown in the outbox panel only
    const to = workflowOf(view.service)?.actions[cmd.action ?? '']?.to;
    if (to && to !== view.state) {
      view.state = to;
      view.stepStartedAt = cmd.createdAt;
      view.dueAt = null; // the server computes it from office hours once synced
      view.overrun = false;
    }
    view.version += 1;
    view.updatedAt = cmd.createdAt;
    view.unsynced.push(cmd);
  }
  return [...byId.values()].sort((a, b) => stamp(b.updatedAt) - stamp(a.updatedAt));
}

function fromCreate(cmd: OutboxCommand): LocalCase {
  const wf = workflowOf(cmd.service);
  const submitTo = wf ? Object.values(wf.actions).find((a) => a.from === null)?.to : undefined;
  const { nik, ...rest } = cmd.input as { nik?: string };
  const view: CaseView = {
    id: cmd.caseId,
    service: cmd.service,
    officeCode: cmd.officeCode,
    state: submitTo ?? wf?.initial ?? 'submitted',
    version: 1, // the server starts every case at version 1, so actions queued after it build on that
    residentNikMasked: typeof nik === 'string' ? maskNik(nik) : null,
    data: rest,
    stepStartedAt: cmd.createdAt,
    dueAt: null,
    overrun: false,
    createdAt: cmd.createdAt,
    updatedAt: cmd.createdAt,
  };
  return { ...view, unsynced: [], needsAttention: [], onServer: false };
}

/** Epoch ms of a number or ISO string timestamp. */
export function stamp(t: number | string | null | undefined): number {
  if (typeof t === 'number') return t;
  if (typeof t === 'string') {
    const n = Date.parse(t);
    return Number.isNaN(n) ? 0 : n;
  }
  return 0;
}
