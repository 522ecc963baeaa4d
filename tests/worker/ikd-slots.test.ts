/** IKD video-call slots (service hours, capacity in SQL, booking, reminders) and the operator's queue of today. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { localToMs, msToLocal } from '../../schema/service-time';
import { applyCommand } from '../../worker/engine';
import { registryFor } from '../../worker/db/registry';
import { residentSessionFor } from '../../worker/ikd/service';
import { api, ensureOffices } from './helpers/auth';
import { actOk, addResident, caseRow, futureWeekday, isHoliday, KOTA_JAMBI, register, staff, TABALONG, VERIFIED } from './ikd-kit';

const MIN = 60_000;
type Problem = { code: string };
const problemOf = async (res: Response) => (await res.json()) as Problem;

beforeAll(async () => {
  await ensureOffices();
  // Tabalong keeps seed 004's hours (Mon–Thu 08:30–16:00, Fri 08:00–10:30); Kota Jambi is open around the clock here,
  // so the queue's due times and overruns do not depend on when the tests run.
  const always = JSON.stringify(Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [['00:00', '24:00']]])));
  await env.DB.batch([
    env.DB.prepare("UPDATE offices SET service_hours_json = ?, wa_number = '0811-7400-100' WHERE code = ?").bind(always, KOTA_JAMBI),
    env.DB.prepare("UPDATE offices SET wa_number = '0821-5829-2956' WHERE code = ?").bind(TABALONG),
  ]);
});

async function slot(op: { fetch: (p: string, i?: object) => Promise<Response> }, startsAt: number, minutes = 30, capacity = 2, extra: Record<string, unknown> = {}) {
  return op.fetch('/api/ikd/slots', { method: 'POST', json: { startsAt, endsAt: startsAt + minutes * MIN, capacity, ...extra } });
}

async function slotId(op: Parameters<typeof slot>[0], startsAt: number, minutes = 30, capacity = 2): Promise<string> {
  const res = await slot(op, startsAt, minutes, capacity);
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { slot: { id: string } }).slot.id;
}

/** Next Friday, as a local HH:MM in Tabalong. */
function nextFriday(hhmm: string): number {
  let day = Date.now() + 2 * 86_400_000;
  for (;;) {
    const date = msToLocal('Asia/Makassar', day).slice(0, 10);
    if (new Date(`${date}T00:00:00Z`).getUTCDay() === 5 && !isHoliday(date)) return localToMs('Asia/Makassar', `${date}T${hhmm}`);
    day += 86_400_000;
  }
}

describe('opening slots', () => {
  it('only inside service hours, whole, in the future, without overlapping the operator’s other slots', async () => {
    const op = await staff();
    expect((await slot(op, futureWeekday(TABALONG, '09:00'))).status).toBe(201);
    for (const [startsAt, minutes] of [
      [futureWeekday(TABALONG, '07:30'), 30], // before opening
      [futureWeekday(TABALONG, '15:45'), 30], // runs past closing
      [nextFriday('10:15'), 30], // Friday closes at 10:30
      [futureWeekday(TABALONG, '16:00'), 30], // at closing
    ] as const) {
      const res = await slot(op, startsAt, minutes);
      expect(res.status).toBe(422);
      expect((await problemOf(res)).code).toBe('slot_outside_hours');
    }
    expect((await problemOf(await slot(op, Date.now() - 60 * MIN))).code).toBe('validation_failed');
    expect((await problemOf(await slot(op, futureWeekday(TABALONG, '09:15')))).code).toBe('slot_overlap');
    expect((await slot(op, futureWeekday(TABALONG, '09:30'))).status).toBe(201);
  });

  it('admins open slots for an operator of their office; operators only for themselves; residents never', async () => {
    const op = await staff();
    const other = await staff();
    const admin = await staff(['admin']);
    const fo = await staff(['front_office']);
    const at = futureWeekday(TABALONG, '13:00');
    expect((await slot(admin, at, 30, 1, { operatorId: op.id })).status).toBe(201);
    expect((await problemOf(await slot(admin, at + 60 * MIN, 30, 1, { operatorId: fo.id }))).code).toBe('validation_failed');
    expect((await problemOf(await slot(other, at + 60 * MIN, 30, 1, { operatorId: op.id }))).code).toBe('forbidden_role');
    expect((await problemOf(await slot(fo, at + 60 * MIN))).code).toBe('forbidden_role');
    const jambiOp = await staff(['operator'], KOTA_JAMBI);
    expect((await problemOf(await slot(admin, at + 60 * MIN, 30, 1, { operatorId: jambiOp.id }))).code).toBe('validation_failed');
    const reg = await register(await addResident());
    expect((await problemOf(await slot(reg, at + 120 * MIN))).code).toBe('forbidden_role');
  });

  it('a booked slot cannot be cancelled; an empty one can', async () => {
    const op = await staff();
    const booked = await slotId(op, futureWeekday(TABALONG, '10:00', 3));
    const empty = await slotId(op, futureWeekday(TABALONG, '11:00', 3));
    const reg = await register(await addResident(), { route: 'video' });
    expect((await reg.fetch('/api/ikd/booking', { method: 'POST', json: { slotId: booked } })).status).toBe(200);
    expect((await problemOf(await op.fetch(`/api/ikd/slots/${booked}/cancel`, { method: 'POST' }))).code).toBe('slot_booked');
    expect((await op.fetch(`/api/ikd/slots/${empty}/cancel`, { method: 'POST' })).status).toBe(204);
    const free = (await (await reg.fetch('/api/ikd/slots/free')).json()) as { slots: { id: string }[] };
    expect(free.slots.map((s) => s.id)).not.toContain(empty);
  });
});

describe('booking', () => {
  it('lists free slots of the own office, books, reschedules and cancels, with reminders (email + WhatsApp, wa.me)', async () => {
    const op = await staff();
    const first = await slotId(op, futureWeekday(TABALONG, '08:30', 3), 30, 1);
    const second = await slotId(op, futureWeekday(TABALONG, '14:00', 3), 30, 1);
    const jambiOp = await staff(['operator'], KOTA_JAMBI);
    const jambiSlot = await slotId(jambiOp, futureWeekday(KOTA_JAMBI, '09:00', 3));
    const reg = await register(await addResident(), { route: 'video' });

    const free = (await (await reg.fetch('/api/ikd/slots/free')).json()) as { timeZone: string; slots: { id: string; free: number }[] };
    expect(free.timeZone).toBe('Asia/Makassar');
    expect(free.slots.map((s) => s.id)).toEqual(expect.arrayContaining([first, second]));
    expect(free.slots.map((s) => s.id)).not.toContain(jambiSlot);
    const later = (await (await reg.fetch(`/api/ikd/slots/free?from=${futureWeekday(TABALONG, '12:00', 3)}`)).json()) as { slots: { id: string }[] };
    expect(later.slots.map((s) => s.id)).toContain(second);
    expect(later.slots.map((s) => s.id)).not.toContain(first);
    // A slot of another office cannot be booked.
    expect((await problemOf(await reg.fetch('/api/ikd/booking', { method: 'POST', json: { slotId: jambiSlot } }))).code).toBe('slot_not_found');

    const booked = (await (await reg.fetch('/api/ikd/booking', { method: 'POST', json: { slotId: first } })).json()) as { case: { state: string; data: { slotId: string; bookingId: string; slotStartsAt: number } } };
    expect(booked.case.state).toBe('scheduled');
    expect(booked.case.data.slotId).toBe(first);
    const caseId = (await (await reg.fetch('/api/ikd/me')).json() as { case: { id: string; booking: { slotId: string } } }).case;
    expect(caseId.booking.slotId).toBe(first);

    const rows = async () =>
      (await env.DB.prepare('SELECT id, channel, body, next_attempt_at FROM notifications WHERE case_id = ? AND status = ? ORDER BY id').bind(caseId.id, 'pending').all<{ id: string; channel: string; body: string; next_attempt_at: number }>()).results;
    const afterBooking = await rows();
    const reminders = afterBooking.filter((r) => r.id.startsWith('ikd-reminder:'));
    expect(reminders.map((r) => r.channel).sort()).toEqual(['email', 'email', 'whatsapp', 'whatsapp']);
    const start = booked.case.data.slotStartsAt;
    expect(reminders.map((r) => r.next_attempt_at).sort()).toEqual([start - 24 * 3_600_000, start - 24 * 3_600_000, start - 3_600_000, start - 3_600_000]);
    expect(reminders.every((r) => r.body.includes('https://wa.me/6282158292956'))).toBe(true);
    const confirmations = afterBooking.filter((r) => !r.id.startsWith('ikd-reminder:'));
    expect(confirmations.map((r) => r.channel).sort()).toEqual(['email', 'whatsapp']);
    expect(confirmations[0]!.body).toMatch(/pukul 08\.30 WITA/);

    // Reschedule: the old booking and its reminders go, new ones come.
    const moved = (await (await reg.fetch('/api/ikd/booking', { method: 'POST', json: { slotId: second } })).json()) as { case: { state: string; data: { slotId: string } } };
    expect(moved.case).toMatchObject({ state: 'scheduled', data: { slotId: second } });
    expect(await env.DB.prepare('SELECT status FROM slot_bookings WHERE case_id = ? ORDER BY created_at').bind(caseId.id).all().then((r) => r.results.map((x) => (x as { status: string }).status))).toEqual(['cancelled', 'booked']);
    const afterMove = (await rows()).filter((r) => r.id.startsWith('ikd-reminder:'));
    expect(afterMove.length).toBe(4);
    expect(afterMove.some((r) => reminders.some((old) => old.id === r.id))).toBe(false);
    // The first slot is free again.
    const again = (await (await reg.fetch('/api/ikd/slots/free')).json()) as { slots: { id: string }[] };
    expect(again.slots.map((s) => s.id)).toContain(first);
    expect((await problemOf(await reg.fetch('/api/ikd/booking', { method: 'POST', json: { slotId: second } }))).code).toBe('slot_unavailable');

    const cancelled = (await (await reg.fetch('/api/ikd/booking/cancel', { method: 'POST', json: {} })).json()) as { case: { state: string; data: { slotId: null } } };
    expect(cancelled.case).toMatchObject({ state: 'registered', data: { slotId: null } });
    expect((await rows()).filter((r) => r.id.startsWith('ikd-reminder:'))).toEqual([]);
  });

  it('a full slot refuses the next booking (slot_full)', async () => {
    const op = await staff();
    const id = await slotId(op, futureWeekday(TABALONG, '10:00', 4), 30, 1);
    const a = await register(await addResident(), { route: 'video' });
    const b = await register(await addResident(), { route: 'video' });
    expect((await a.fetch('/api/ikd/booking', { method: 'POST', json: { slotId: id } })).status).toBe(200);
    const res = await b.fetch('/api/ikd/booking', { method: 'POST', json: { slotId: id } });
    expect(res.status).toBe(409);
    expect((await problemOf(res)).code).toBe('slot_full');
    expect((await caseRow(b.case.id)).state).toBe('registered');
  });

  it('racing bookings cannot overfill a slot: capacity is enforced in SQL', async () => {
    const op = await staff();
    const id = await slotId(op, futureWeekday(TABALONG, '11:00', 4), 30, 2);
    const regs = await Promise.all([0, 1, 2, 3].map(async () => register(await addResident(), { route: 'video' })));
    // Straight through the engine, all at once: every pre-check may pass before any batch lands.
    const results = await Promise.allSettled(
      regs.map(async (r) => {
        const resident = (await registryFor(env).findResident((await env.DB.prepare('SELECT resident_nik FROM cases WHERE id = ?').bind(r.case.id).first<{ resident_nik: string }>())!.resident_nik))!;
        return applyCommand(
          { db: env.DB, session: residentSessionFor(resident), ip: null, now: Date.now(), registry: registryFor(env) },
          { id: uuid7(), type: 'action', caseId: r.case.id, action: 'book_slot', baseVersion: 1, input: { slotId: id } },
        );
      }),
    );
    const applied = results.filter((r) => r.status === 'fulfilled' && r.value.status === 'applied').length;
    // The loser's batch trips the capacity trigger; the engine answers rejected/slot_full (never an unknown error).
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const refused = results.filter((r) => r.status === 'fulfilled' && r.value.status === 'rejected' && r.value.problem?.code === 'slot_full').length;
    expect(applied).toBe(2);
    expect(refused).toBe(2);
    expect(await env.DB.prepare(`SELECT count(*) AS n FROM slot_bookings WHERE slot_id = ? AND status = 'booked'`).bind(id).first()).toEqual({ n: 2 });
    expect(await env.DB.prepare(`SELECT count(*) AS n FROM cases WHERE state = 'scheduled' AND id IN (${regs.map(() => '?').join(',')})`).bind(...regs.map((r) => r.case.id)).first()).toEqual({ n: 2 });

    // Over HTTP the loser of a race is told slot_full as well.
    const id2 = await slotId(op, futureWeekday(TABALONG, '12:30', 4), 30, 1);
    const more = await Promise.all([0, 1].map(async () => register(await addResident(), { route: 'video' })));
    const answers = await Promise.all(more.map((r) => r.fetch('/api/ikd/booking', { method: 'POST', json: { slotId: id2 } })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await problemOf(answers.find((r) => r.status === 409)!)).code).toBe('slot_full');
  });

  it('the capacity trigger refuses a booking beyond capacity and on a cancelled slot', async () => {
    const op = await staff();
    const id = await slotId(op, futureWeekday(TABALONG, '15:00', 5), 30, 1);
    const insert = (bookingId: string) =>
      env.DB.prepare(`INSERT INTO slot_bookings (id, slot_id, case_id, nik, status, created_at, updated_at) VALUES (?, ?, 'c', 'n', 'booked', 0, 0)`).bind(bookingId, id).run();
    await insert('b1');
    await expect(insert('b2')).rejects.toThrow(/slot_full/);
    const id2 = await slotId(op, futureWeekday(TABALONG, '14:00', 5), 30, 3);
    await env.DB.prepare(`UPDATE video_slots SET status = 'cancelled' WHERE id = ?`).bind(id2).run();
    await expect(env.DB.prepare(`INSERT INTO slot_bookings (id, slot_id, case_id, nik, status, created_at, updated_at) VALUES ('b3', ?, 'c', 'n', 'booked', 0, 0)`).bind(id2).run()).rejects.toThrow(/slot_full/);
  });
});

describe('operator queue', () => {
  it('shows today’s video calls and counter visitors of the office with step, due time and overrun', async () => {
    const op = await staff(['operator'], KOTA_JAMBI);
    const id = await slotId(op, Date.now() + 2 * 86_400_000);
    const video = await register(await addResident({ officeCode: KOTA_JAMBI }), { route: 'video' });
    expect((await video.fetch('/api/ikd/booking', { method: 'POST', json: { slotId: id } })).status).toBe(200);
    // Time passes: the call started 20 minutes ago (or at midnight, whichever is later) and nobody verified yet.
    const dayStart = localToMs('Asia/Jakarta', `${msToLocal('Asia/Jakarta', Date.now()).slice(0, 10)}T00:00`);
    const callStart = Math.max(dayStart, Date.now() - 20 * MIN);
    await env.DB.prepare('UPDATE video_slots SET starts_at = ?, ends_at = ? WHERE id = ?').bind(callStart, callStart + 30 * MIN, id).run();

    const counter = await register(await addResident({ officeCode: KOTA_JAMBI }));
    const working = await register(await addResident({ officeCode: KOTA_JAMBI }));
    await actOk(op, working.case.id, 'verify', VERIFIED);
    const tabalong = await register(await addResident());

    const res = await op.fetch('/api/ikd/queue');
    expect(res.status).toBe(200);
    const q = (await res.json()) as { timeZone: string; items: { caseId: string; kind: string; state: string; dueAt: number | null; overrun: boolean; standardMinutes: number | null; slot: { startsAt: number } | null; actions: string[]; nikMasked: string; name: string }[] };
    expect(q.timeZone).toBe('Asia/Jakarta');
    const byId = new Map(q.items.map((i) => [i.caseId, i]));
    expect(byId.get(video.case.id)).toMatchObject({ kind: 'video', state: 'scheduled', standardMinutes: 5, dueAt: callStart + 5 * MIN, overrun: Date.now() > callStart + 5 * MIN, slot: { startsAt: callStart }, actions: ['verify', 'reject'] });
    expect(byId.get(counter.case.id)).toMatchObject({ kind: 'counter', state: 'registered', dueAt: null, overrun: false, standardMinutes: null });
    const w = byId.get(working.case.id)!;
    expect(w).toMatchObject({ kind: 'counter', state: 'verified', standardMinutes: 5, overrun: false, actions: ['bind_device', 'reject'] });
    expect(w.dueAt).toBeGreaterThan(Date.now());
    expect(w.nikMasked).toMatch(/^\d{4}•+\d{4}$/);
    // Another office's cases never show.
    expect(byId.has(tabalong.case.id)).toBe(false);
    const tabOp = await staff();
    const tq = (await (await tabOp.fetch('/api/ikd/queue')).json()) as { items: { caseId: string }[] };
    expect(tq.items.map((i) => i.caseId)).toContain(tabalong.case.id);
    expect(tq.items.map((i) => i.caseId)).not.toContain(video.case.id);

    // Residents have no queue.
    expect((await video.fetch('/api/ikd/queue')).status).toBe(403);
    // The office's slots of today list the booking, NIK masked.
    const today = (await (await op.fetch('/api/ikd/slots')).json()) as { slots: { id: string; booked: number; bookings: { caseId: string; nikMasked: string }[] }[] };
    expect(today.slots.find((s) => s.id === id)).toMatchObject({ booked: 1, bookings: [{ caseId: video.case.id }] });
  });

  it('is listed in the OpenAPI document with every IKD route', async () => {
    const doc = (await (await api('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    const ikdPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/ikd/'));
    expect(ikdPaths.sort()).toEqual(
      [
        '/api/ikd/activation/complete', '/api/ikd/activation/verify', '/api/ikd/booking', '/api/ikd/booking/cancel', '/api/ikd/cases/{id}/binding-nonce',
        '/api/ikd/challenge', '/api/ikd/device/bind', '/api/ikd/device/key', '/api/ikd/device/release', '/api/ikd/login', '/api/ikd/me', '/api/ikd/pin',
        '/api/ikd/queue', '/api/ikd/register', '/api/ikd/residents/match-attempts', '/api/ikd/resume', '/api/ikd/slots', '/api/ikd/slots/free',
        '/api/ikd/slots/{id}/cancel',
      ].sort(),
    );
  });
});

describe('slot list dates (found by the OpenAPI fuzzer, issue 8)', () => {
  it('answers 422 for a date that is not on the calendar instead of failing inside the time arithmetic', async () => {
    const op = await staff(['operator']);
    for (const date of ['4774-15-10', '2026-02-30', '2026-13-01']) {
      const res = await op.fetch(`/api/ikd/slots?date=${date}`);
      expect(res.status, date).toBe(422);
      expect(((await res.json()) as { code: string }).code).toBe('validation_failed');
    }
    expect((await op.fetch('/api/ikd/slots?date=2026-12-01')).status).toBe(200);
  });
});
