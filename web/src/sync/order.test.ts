import { describe, expect, it } from 'vitest';
import type { OutboxCommand } from '../db';
import { MAX_COMMANDS_PER_PUSH } from '../../../schema/contracts/sync';
import { dueInOrder, PUSH_BYTES_MAX, PUSH_COMMANDS_MAX, takeBatch } from './order';
import { uuidv7 } from './uuidv7';

const NOW = 1_000_000;
let seq = 0;
const cmd = (caseId: string, over: Partial<OutboxCommand> = {}): OutboxCommand => ({
  id: uuidv7(), seq: ++seq, type: 'action', caseId, service: 'ktpel', action: 'accept', baseVersion: 1, input: {}, createdAt: NOW,
  status: 'pending', attempts: 0, nextAttemptAt: 0, userId: 'u1', username: 'fo', officeCode: '15.71', ...over,
});

describe('dueInOrder', () => {
  it('keeps the order given (local sequence), whatever the ids say', () => {
    const a = cmd('c1', { id: '019f0000-0000-7000-8000-000000000002' });
    const b = cmd('c1', { id: '019f0000-0000-7000-8000-000000000001' }); // made later, on a clock set back
    expect(dueInOrder([a, b], new Set(), false, NOW)).toEqual([a, b]);
  });

  it('nothing overtakes the oldest command while it waits for a transport retry', () => {
    const a = cmd('c1', { nextAttemptAt: NOW + 5_000, attempts: 2 });
    const b = cmd('c2');
    expect(dueInOrder([a, b], new Set(), false, NOW)).toBe('waiting');
    expect(dueInOrder([a, b], new Set(), true, NOW)).toEqual([a, b]);
  });

  it('a deferred command waits with the later commands of its case; other cases go on', () => {
    const waiting = cmd('c1', { deferred: true, nextAttemptAt: NOW + 60_000 });
    const sameCase = cmd('c1');
    const other = cmd('c2');
    expect(dueInOrder([waiting, sameCase, other], new Set(), false, NOW)).toEqual([other]);
  });

  it('a deferred command whose time came is sent again, once per run', () => {
    const waiting = cmd('c1', { deferred: true, nextAttemptAt: NOW - 1 });
    const next = cmd('c1');
    expect(dueInOrder([waiting, next], new Set(), false, NOW)).toEqual([waiting, next]);
    expect(dueInOrder([waiting, next], new Set([waiting.id]), false, NOW)).toEqual([]);
  });
});

describe('takeBatch', () => {
  const sizes = (n: number, bytes: number) => Array.from({ length: n }, (_, i) => ({ i, bytes }));
  it('sends as many commands as the server takes in one push, in order', () => {
    expect(PUSH_COMMANDS_MAX).toBe(MAX_COMMANDS_PER_PUSH);
    const batch = takeBatch(sizes(250, 200), (c) => c.bytes);
    expect(batch.map((c) => c.i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
  it('stops before the byte limit, so a push of large commands stays small enough for a weak link', () => {
    const batch = takeBatch(sizes(100, 10_000), (c) => c.bytes);
    expect(batch.length).toBe(Math.floor(PUSH_BYTES_MAX / 10_000));
  });
  it('always sends at least one: a command larger than the limit goes alone', () => {
    expect(takeBatch(sizes(3, PUSH_BYTES_MAX * 2), (c) => c.bytes).map((c) => c.i)).toEqual([0]);
    expect(takeBatch([], () => 1)).toEqual([]);
  });
});
