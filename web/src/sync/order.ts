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

/** Commands per push: what the server accepts in one request (MAX_COMMANDS_PER_PUSH; kept apart so zod stays out of the sync engine's bundle, a test ties them). */
export const PUSH_COMMANDS_MAX = 100;
/**
 * Bytes of commands per push. Fewer, larger pushes drain a long outbox faster (each exchange has a fixed cost),
 * but a request that dies on a weak link resends all of it, and the server refuses bodies over 256 KiB.
 */
export const PUSH_BYTES_MAX = 64 * 1024;

/**
 * The next push: the first due commands, in order, up to the count and byte limits; always at least one, so a
 * single large command still goes (alone).
 */
export function takeBatch<T>(due: T[], bytesOf: (c: T) => number, maxCommands = PUSH_COMMANDS_MAX, maxBytes = PUSH_BYTES_MAX): T[] {
  let bytes = 0;
  let n = 0;
  for (const c of due) {
    if (n >= maxCommands) break;
    bytes += bytesOf(c);
    if (n > 0 && bytes > maxBytes) break;
    n++;
  }
  return due.slice(0, n);
}
