/**
 * The tablet's roster rules without Dexie (unit-tested in roster-logic.test.ts): a student's current local status,
 * the mark a new tap replaces, and which marks go in the next upload (one per student, the earliest waiting one, so
 * a chain of changes reaches the server in the order the officer made them), and each student's registry flag.
 */
import type { RetasMarkRow, RetasStudentRow } from '../../db';

/** Marks that stand on this tablet: a rejected one never happened, a conflict lost to another tablet. */
const STANDING = new Set<RetasMarkRow['state']>(['pending', 'applied', 'adopted']);

/** The latest mark of each student (by tap order), whatever its state: what the screen shows. */
export function latestByStudent(marks: readonly RetasMarkRow[]): Map<string, RetasMarkRow> {
  const out = new Map<string, RetasMarkRow>();
  for (const m of [...marks].sort((a, b) => a.seq - b.seq)) out.set(m.studentKey, m);
  return out;
}

/**
 * The mark a new tap on `studentKey` replaces: the latest standing one; after a conflict the other tablet's mark
 * (the officer keeps theirs on top of it). null for the student's first mark.
 */
export function replacesFor(marks: readonly RetasMarkRow[], studentKey: string): string | null {
  const own = [...marks].filter((m) => m.studentKey === studentKey).sort((a, b) => a.seq - b.seq);
  const last = own[own.length - 1];
  if (last?.state === 'conflict' && last.current) return last.current.markId;
  const standing = own.filter((m) => STANDING.has(m.state));
  return standing[standing.length - 1]?.id ?? null;
}

/** The next upload: per student the earliest pending mark, in tap order, at most `max`. */
export function nextUpload(marks: readonly RetasMarkRow[], max: number): RetasMarkRow[] {
  const seen = new Set<string>();
  const out: RetasMarkRow[] = [];
  for (const m of [...marks].sort((a, b) => a.seq - b.seq)) {
    if (m.state !== 'pending') continue;
    // A later change waits until the earlier one of the same student has been answered.
    if (seen.has(m.studentKey)) continue;
    seen.add(m.studentKey);
    out.push(m);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * A student's registry flag on the tablet: `later` while its NIK has not been matched (offline, or the NIK was changed
 * after the last answer), else the registry's answer; `no_nik` when none was given. Only `matched` needs no follow-up.
 */
export type RegistryFlag = 'matched' | 'differs' | 'not_found' | 'later' | 'no_nik';

export function registryFlag(s: Pick<RetasStudentRow, 'student' | 'registry'>): RegistryFlag {
  if (!s.student.nik) return 'no_nik';
  if (!s.registry || s.registry.nik !== s.student.nik) return 'later';
  return s.registry.match;
}

/** The students the next online match asks about: a NIK and no answer for it yet. */
export function toMatch<T extends Pick<RetasStudentRow, 'student' | 'registry'>>(students: readonly T[]): T[] {
  return students.filter((s) => registryFlag(s) === 'later');
}
