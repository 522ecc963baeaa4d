/**
 * The tablet's RETAS roster in IndexedDB (Dexie version 8): students imported or added, each status tap stored
 * at once (it survives a reload, a closed browser, a dead battery), and the upload that sends each tap exactly once
 * (the mark id is the server's idempotency key; an answer lost on the way is simply asked again).
 */
import { MARKS_PER_UPLOAD, MATCHES_PER_REQUEST, studentKey, type Student } from '../../../../schema/retas/roster';
import { api, ApiFailure, problemFromError } from '../../api';
import { db, type RetasMarkRow, type RetasStudentRow } from '../../db';
import { uuidv7 } from '../../sync/uuidv7';
import { nextUpload, replacesFor, toMatch } from './roster-logic';

const DEVICE_KEY = 'loket.retas.device';

/** This tablet's id, made once and kept: the server shows it in a conflict so officers know which tablet. */
export function deviceId(): string {
  try {
    let id = localStorage.getItem(DEVICE_KEY);
    if (!id) {
      id = `tablet-${crypto.randomUUID().slice(0, 8)}`;
      localStorage.setItem(DEVICE_KEY, id);
    }
    return id;
  } catch {
    return 'tablet-unknown';
  }
}

export async function addStudents(caseId: string, students: readonly Student[], source: RetasStudentRow['source']): Promise<number> {
  const now = Date.now();
  const before = new Map((await db.retasStudents.where('caseId').equals(caseId).toArray()).map((r) => [r.id, r]));
  const rows: RetasStudentRow[] = students.map((s) => {
    const key = studentKey(s);
    const id = `${caseId}|${key}`;
    // A re-import keeps the registry's answer while the NIK stays the same; a NIK added or changed is matched anew.
    const registry = before.get(id)?.registry;
    return { id, caseId, studentKey: key, student: s, source, addedAt: now, ...(registry && registry.nik === s.nik ? { registry } : {}) };
  });
  // A re-import keeps what is there (bulkPut would only replace the same details; marks are separate anyway).
  await db.retasStudents.bulkPut(rows);
  return rows.length;
}

/**
 * Asks the registry about the students whose NIK has no answer yet (in requests of ≤ 200, the NIKs in the body),
 * and keeps each answer with the NIK it was for. Offline or refused: they stay "to be matched later".
 */
export async function matchRoster(caseId: string): Promise<'done' | 'offline'> {
  if (!navigator.onLine) return 'offline';
  const waiting = toMatch(await db.retasStudents.where('caseId').equals(caseId).toArray());
  for (let i = 0; i < waiting.length; i += MATCHES_PER_REQUEST) {
    const chunk = waiting.slice(i, i + MATCHES_PER_REQUEST);
    let results: { studentKey: string; match: 'matched' | 'differs' | 'not_found' | 'no_nik' }[];
    try {
      ({ results } = await api<{ results: typeof results }>(`/api/retas/cases/${encodeURIComponent(caseId)}/registry-match`, {
        body: { students: chunk.map((s) => ({ studentKey: s.studentKey, name: s.student.name, birthDate: s.student.birthDate, nik: s.student.nik! })) },
      }));
    } catch {
      return 'offline';
    }
    const at = Date.now();
    await db.transaction('rw', db.retasStudents, async () => {
      for (const r of results) {
        const row = chunk.find((s) => s.studentKey === r.studentKey);
        if (!row || r.match === 'no_nik') continue;
        // Only if the NIK is still the one asked about (the officer may have corrected it meanwhile).
        const now = await db.retasStudents.get(row.id);
        if (now?.student.nik === row.student.nik) await db.retasStudents.update(row.id, { registry: { nik: row.student.nik!, match: r.match, at } });
      }
    });
  }
  return 'done';
}

/** Stores one tap: a new mark replacing the student's latest standing one. */
export async function markStudent(caseId: string, s: RetasStudentRow, status: RetasMarkRow['status'], note: string | undefined, userId: string): Promise<RetasMarkRow> {
  return db.transaction('rw', db.retasMarks, async () => {
    const own = await db.retasMarks.where('[caseId+studentKey]').equals([caseId, s.studentKey]).toArray();
    const last = await db.retasMarks.orderBy('seq').last();
    const row: RetasMarkRow = {
      id: uuidv7(), caseId, studentKey: s.studentKey, student: s.student, status, ...(note ? { note } : {}), at: Date.now(),
      replaces: replacesFor(own, s.studentKey), deviceId: deviceId(), seq: (last?.seq ?? 0) + 1, state: 'pending', userId,
    };
    await db.retasMarks.add(row);
    return row;
  });
}

/** After a conflict, the officer accepts the other tablet's record: it becomes this tablet's latest mark. */
export async function adoptTheirs(conflict: RetasMarkRow): Promise<void> {
  const c = conflict.current;
  if (!c) return;
  await db.transaction('rw', db.retasMarks, async () => {
    const last = await db.retasMarks.orderBy('seq').last();
    await db.retasMarks.put({
      ...conflict, id: c.markId, status: c.status as RetasMarkRow['status'], note: c.note ?? undefined, at: c.at, deviceId: c.deviceId,
      replaces: null, seq: (last?.seq ?? 0) + 1, state: 'adopted', current: undefined,
    });
  });
}

interface UploadResult {
  id: string;
  status: 'applied' | 'duplicate' | 'conflict' | 'rejected';
  current?: RetasMarkRow['current'] & { officerId: string };
  problem?: { code: string; detail?: string };
}

export type RosterSyncOutcome = 'done' | 'offline' | 'refused';

/**
 * Sends the waiting marks of `caseId` in uploads of one mark per student, until none waits. One tab at a time
 * (Web Locks): two tabs of the same tablet never send the same marks side by side (harmless, but wasted).
 */
export async function syncRoster(caseId: string): Promise<{ outcome: RosterSyncOutcome; problem?: ReturnType<typeof problemFromError> }> {
  const run = async (): Promise<{ outcome: RosterSyncOutcome; problem?: ReturnType<typeof problemFromError> }> => {
    for (let round = 0; round < 50; round++) {
      const pending = await db.retasMarks.where('[caseId+state]').equals([caseId, 'pending']).toArray();
      const batch = nextUpload(pending, MARKS_PER_UPLOAD);
      if (!batch.length) return { outcome: 'done' };
      let results: UploadResult[];
      try {
        ({ results } = await api<{ results: UploadResult[] }>(`/api/retas/cases/${encodeURIComponent(caseId)}/marks`, {
          body: { marks: batch.map((m) => ({ id: m.id, studentKey: m.studentKey, student: m.student, status: m.status, ...(m.note ? { note: m.note } : {}), at: m.at, replaces: m.replaces, deviceId: m.deviceId })) },
        }));
      } catch (err) {
        const problem = problemFromError(err);
        // No answer: everything stays pending and is sent again with the same ids.
        return { outcome: err instanceof ApiFailure && err.status >= 400 && err.status < 500 ? 'refused' : 'offline', problem };
      }
      await db.transaction('rw', db.retasMarks, async () => {
        for (const r of results) {
          if (r.status === 'applied' || r.status === 'duplicate') await db.retasMarks.update(r.id, { state: 'applied' });
          else if (r.status === 'conflict') await db.retasMarks.update(r.id, { state: 'conflict', current: r.current });
          else await db.retasMarks.update(r.id, { state: 'rejected', problem: { code: r.problem?.code ?? 'rejected', status: 422, detail: r.problem?.detail } });
        }
      });
    }
    return { outcome: 'done' };
  };
  return navigator.locks ? navigator.locks.request(`loket-retas-${caseId}`, run) : run();
}
