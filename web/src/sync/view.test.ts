import { describe, expect, it } from 'vitest';
import type { CaseView, OutboxCommand } from '../db';
import { deriveCases, maskNik } from './view';

const base = { service: 'ktpel', attempts: 0, nextAttemptAt: 0, userId: 'u1', username: 'fo.jambi', officeCode: '15.71' } as const;
const create = (id: string, caseId: string, at: number): OutboxCommand => ({
  ...base, id, seq: at, type: 'create', caseId, status: 'pending', createdAt: at,
  input: { nik: '1571082112910003', reason: 'hilang', channel: 'counter' },
});
const action = (id: string, caseId: string, name: string, at: number, status: OutboxCommand['status'] = 'pending'): OutboxCommand => ({
  ...base, id, seq: at, type: 'action', caseId, action: name, baseVersion: 1, status, createdAt: at, input: {},
});
const server: CaseView = {
  id: 'c-1', service: 'ktpel', officeCode: '15.71', state: 'submitted', version: 3, residentNikMasked: '1571••••••••0003',
  data: { reason: 'baru' }, stepStartedAt: 1_000, dueAt: 2_000, overrun: false, createdAt: 1_000, updatedAt: 1_000,
};

describe('deriveCases: what the user sees before sync', () => {
  it('shows a case created offline as not yet on the server, masked like the server does', () => {
    const [c] = deriveCases([], [create('01', 'c-new', 5_000)]);
    expect(c).toMatchObject({ id: 'c-new', state: 'submitted', version: 1, onServer: false, residentNikMasked: '1571••••••••0003', dueAt: null });
    expect(c!.data).toEqual({ reason: 'hilang', channel: 'counter' });
    expect(c!.unsynced).toHaveLength(1);
    expect(maskNik('1571082112910003')).toBe('1571••••••••0003');
  });

  it('applies pending actions in id order on top of the server copy, and leaves the server copy alone', () => {
    const cached = [{ ...server }];
    const [c] = deriveCases(cached, [action('03', 'c-1', 'record_input', 9_000), action('02', 'c-1', 'accept', 8_000)]);
    expect(c).toMatchObject({ state: 'printing', version: 5, dueAt: null, onServer: true });
    expect(cached[0]).toEqual(server);
  });

  it('does not apply conflicted or rejected commands; it flags the case instead', () => {
    const [c] = deriveCases([server], [action('02', 'c-1', 'accept', 8_000, 'conflict')]);
    expect(c).toMatchObject({ state: 'submitted', version: 3 });
    expect(c!.needsAttention).toHaveLength(1);
    expect(c!.unsynced).toHaveLength(0);
  });
});
