// The tablet's roster rules: current status, what a tap replaces, and the next upload's marks.
import { describe, expect, it } from 'vitest';
import type { RetasMarkRow } from '../../db';
import { latestByStudent, nextUpload, replacesFor } from './roster-logic';

let n = 0;
const m = (studentKey: string, state: RetasMarkRow['state'], extra: Partial<RetasMarkRow> = {}): RetasMarkRow => ({
  id: `m${++n}`, caseId: 'c', studentKey, student: { name: studentKey, birthDate: '2009-01-01' }, status: 'recorded', at: n, replaces: null,
  deviceId: 'd', seq: n, state, userId: 'u', ...extra,
});

describe('roster logic', () => {
  it('a tap replaces the latest standing mark; a rejected one is skipped; after a conflict the other tablet\'s mark', () => {
    const a1 = m('a', 'applied');
    const a2 = m('a', 'rejected');
    expect(replacesFor([a1, a2], 'a')).toBe(a1.id);
    const b1 = m('b', 'pending');
    expect(replacesFor([b1], 'b')).toBe(b1.id);
    const c1 = m('c', 'conflict', { current: { markId: 'theirs', status: 'absent', note: null, at: 1, deviceId: 'x' } });
    expect(replacesFor([c1], 'c')).toBe('theirs');
    expect(replacesFor([], 'z')).toBeNull();
  });
  it('uploads one mark per student, the earliest waiting one, in tap order, capped', () => {
    const a1 = m('a', 'applied');
    const a2 = m('a', 'pending', { replaces: a1.id });
    const b1 = m('b', 'pending');
    const b2 = m('b', 'pending', { replaces: b1.id });
    const c1 = m('c', 'pending');
    expect(nextUpload([c1, b2, a2, a1, b1], 10).map((x) => x.id)).toEqual([a2.id, b1.id, c1.id]);
    expect(nextUpload([a1, a2, b1, b2, c1], 2).map((x) => x.id)).toEqual([a2.id, b1.id]);
    expect(nextUpload([a1], 10)).toEqual([]);
  });
  it('the latest mark per student is what the screen shows', () => {
    const a1 = m('a', 'applied');
    const a2 = m('a', 'conflict');
    expect(latestByStudent([a2, a1]).get('a')!.id).toBe(a2.id);
  });
});
