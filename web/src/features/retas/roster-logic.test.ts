// The tablet's roster rules: current status, what a tap replaces, and the next upload's marks.
import { describe, expect, it } from 'vitest';
import type { RetasMarkRow, RetasStudentRow } from '../../db';
import { latestByStudent, nextUpload, registryFlag, replacesFor, toMatch } from './roster-logic';

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
  it('a NIK is "to be matched later" until the registry answered for that very NIK; without one it stays for the office', () => {
    const nik = '6309014505090001';
    const st = (extra: Partial<RetasStudentRow> = {}, withNik = true): Pick<RetasStudentRow, 'student' | 'registry'> => ({
      student: { name: 'Rina', birthDate: '2009-05-05', ...(withNik ? { nik } : {}) }, ...extra,
    });
    const offline = st();
    const matched = st({ registry: { nik, match: 'matched', at: 1 } });
    const unknown = st({ registry: { nik, match: 'not_found', at: 1 } });
    // The officer corrected the NIK after the answer: the old answer no longer counts.
    const corrected = st({ registry: { nik: '6309014505090009', match: 'not_found', at: 1 } });
    const none = st({}, false);
    expect([offline, matched, unknown, corrected, none].map(registryFlag)).toEqual(['later', 'matched', 'not_found', 'later', 'no_nik']);
    expect(toMatch([offline, matched, unknown, corrected, none])).toEqual([offline, corrected]);
  });
});
