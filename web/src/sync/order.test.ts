import { describe, expect, it } from 'vitest';
import type { OutboxCommand } from '../db';
import { dueInOrder } from './order';
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
