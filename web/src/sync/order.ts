/** The push order of the outbox, pure so it is unit-tested: local sequence first, deferred commands held per case. */
import type { OutboxCommand } from '../db';

/**
 * What may go now, in order. Order matters more than speed: nothing overtakes the oldest command while it waits
 * for a transport retry. A deferred command (its case has not reached the server) waits alone, with the later
 * commands of its own case; other cases go on. Each command is sent at most once per run.
 */
export function dueInOrder(queued: OutboxCommand[], sentNow: Set<string>, force: boolean, now = Date.now()): OutboxCommand[] | 'waiting' {
  const held = new Set<string>();
  const out: OutboxCommand[] = [];
  for (const c of queued) {
    if (held.has(c.caseId)) continue;
    if (c.deferred) {
      if (sentNow.has(c.id) || (!force && c.nextAttemptAt > now)) {
        held.add(c.caseId);
        continue;
      }
    } else if (sentNow.has(c.id)) {
      continue;
    } else if (!force && c.nextAttemptAt > now) {
      return out.length ? out : 'waiting';
    }
    out.push(c);
  }
  return out;
}
