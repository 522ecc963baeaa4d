/**
 * The IKM survey on the server: answers by invitation (one each) or from a counter kiosk (limited per kiosk and
 * time), invitation codes and kiosk tokens kept hashed, and the per-service dashboard computed from exact sums.
 */
import { trackingHash } from '../../schema/aduan/tracking';
import { IKM_ELEMENTS, ikmScoreFromSums, sampleSufficient, type IkmService, type IkmSubmission } from '../../schema/ikm';
import { localToMs, msToLocal, serviceHoursFromRow, TIME_ZONES, type TimeZone } from '../../schema/service-time';
import * as sql from '../db/ikm';
import { findOffice } from '../db/offices';
import { ApiError } from '../errors';
import type { Session } from '../middleware/session';

/** Kiosk limits: one answer per 20 seconds and 300 a day per tablet (a queue at the counter, not a script). */
export const KIOSK_MIN_GAP_MS = 20_000;
export const KIOSK_DAILY_MAX = 300;
const DAY = 86_400_000;
/** Printed invitations stay valid this long. */
export const INVITATION_DAYS = 30;

/** The hash an invitation is stored under: SHA-256(SHA-256(code) ':ikm'), the same for a complaint's tracking code. */
export async function invitationHash(code: string): Promise<string> {
  return sql.complaintInvitationHash(await trackingHash(code));
}

const randomCode = () => {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

export type SubmitOutcome = { status: 'recorded' | 'duplicate'; service: string };

/** Records one answer; a resend with the same id answers `duplicate` and records nothing. */
export async function submitResponse(db: D1Database, s: IkmSubmission, now = Date.now()): Promise<SubmitOutcome> {
  const seen = await sql.getResponse(db, s.id);
  const base = { id: s.id, answers: [...s.answers], sex: s.profile?.sex ?? null, age_group: s.profile?.ageGroup ?? null, education: s.profile?.education ?? null, occupation: s.profile?.occupation ?? null, answered_at: now };
  if (s.invitation) {
    const hash = await invitationHash(s.invitation);
    if (seen) {
      if (seen.invitation_hash === hash) return { status: 'duplicate', service: '' };
      throw new ApiError('validation_failed', 'Id jawaban sudah dipakai. / Answer id already used.');
    }
    const inv = await sql.getInvitation(db, hash);
    if (!inv || now > inv.expires_at) throw new ApiError('ikm_invitation_invalid', 'Undangan survei tidak dikenal atau kedaluwarsa. / Unknown or expired survey invitation.');
    if (inv.used_at !== null) throw new ApiError('ikm_invitation_used', 'Survei ini sudah diisi. Terima kasih. / This survey was already answered. Thank you.');
    try {
      const [, used] = await db.batch([
        sql.insertResponse(db, { ...base, office_code: inv.office_code, service: inv.service, source: 'invitation', invitation_hash: hash, kiosk_hash: null }),
        sql.markInvitationUsed(db, hash, now),
      ]);
      if (used?.meta.changes !== 1) throw new Error('invitation not marked used');
    } catch (err) {
      // Two answers raced for one invitation: UNIQUE(invitation_hash) let only the first in.
      if (err instanceof Error && /UNIQUE constraint failed: ikm_responses\.invitation_hash/.test(err.message)) throw new ApiError('ikm_invitation_used');
      throw err;
    }
    return { status: 'recorded', service: inv.service };
  }
  const kioskHash = await trackingHash(s.kiosk ?? '');
  if (seen) {
    if (seen.kiosk_hash === kioskHash) return { status: 'duplicate', service: '' };
    throw new ApiError('validation_failed', 'Id jawaban sudah dipakai. / Answer id already used.');
  }
  const kiosk = await sql.getKiosk(db, kioskHash);
  if (!kiosk || kiosk.closed_at !== null) throw new ApiError('ikm_kiosk_invalid', 'Kios survei tidak terdaftar atau sudah ditutup. / Survey kiosk not registered or closed.');
  const today = await sql.kioskActivity(db, kioskHash, now - DAY);
  if (today.n >= KIOSK_DAILY_MAX || (today.last !== null && now - today.last < KIOSK_MIN_GAP_MS)) {
    const wait = today.n >= KIOSK_DAILY_MAX ? 3600 : Math.ceil((KIOSK_MIN_GAP_MS - (now - today.last!)) / 1000);
    throw new ApiError('too_many_attempts', `Mohon tunggu ${wait} detik sebelum jawaban berikutnya. / Please wait ${wait} s before the next answer.`, { retryAfterSeconds: wait });
  }
  await sql.insertResponse(db, { ...base, office_code: kiosk.office_code, service: kiosk.service, source: 'kiosk', invitation_hash: null, kiosk_hash: kioskHash }).run();
  return { status: 'recorded', service: kiosk.service };
}

/** Printed invitation codes for a service (shown once; only hashes are kept). */
export async function issueInvitations(db: D1Database, session: Session, service: IkmService, count: number, now = Date.now()): Promise<string[]> {
  const codes = Array.from({ length: count }, randomCode);
  const hashes = await Promise.all(codes.map(invitationHash));
  await db.batch(hashes.map((h) => sql.insertInvitation(db, { codeHash: h, officeCode: session.officeCode, service, now, expiresAt: now + INVITATION_DAYS * DAY })));
  return codes;
}

/** A kiosk token for a tablet at the counter (shown once) and the statement that registers its hash. */
export async function openKiosk(db: D1Database, session: Session, service: IkmService, label: string, now = Date.now()): Promise<{ token: string; statement: D1PreparedStatement }> {
  const token = randomCode();
  return { token, statement: sql.insertKiosk(db, { tokenHash: await trackingHash(token), officeCode: session.officeCode, service, label, createdBy: session.subjectId, now }) };
}

/** The office's local period [from, to] (dates, inclusive) as epoch ms [start, end). */
export function periodMs(tz: TimeZone, from: string, to: string): [number, number] {
  return [localToMs(tz, `${from}T00:00`), localToMs(tz, `${to}T00:00`) + DAY];
}

/** Dashboard of one service and period: score, grade, spreadsheet figure, element averages, trend and the sample check. */
export async function ikmDashboard(db: D1Database, session: Session, service: IkmService, from: string, to: string) {
  const office = await findOffice(db, session.officeCode);
  if (!office) throw new ApiError('not_found');
  const tz = serviceHoursFromRow(office).timeZone;
  const [start, end] = periodMs(tz, from, to);
  const [sums, months, users] = await Promise.all([
    sql.elementSums(db, session.officeCode, service, start, end),
    sql.monthlySums(db, session.officeCode, service, start, end, TIME_ZONES[tz] * 3_600_000),
    sql.serviceUsers(db, session.officeCode, service, start, end),
  ]);
  const score = sums.n ? ikmScoreFromSums(sums.s, sums.n) : null;
  return {
    service, from, to, respondents: sums.n,
    elements: IKM_ELEMENTS.map((e, i) => ({ key: e.key, name: e.name, average: sums.n ? sums.s[i]! / sums.n : null })),
    score: score?.score ?? null, grade: score?.grade ?? null,
    spreadsheetScore: score?.spreadsheetScore ?? null, spreadsheetGrade: score?.spreadsheetGrade ?? null,
    method: 'IKM = 25 × Σ jawaban / (9 × responden), dibulatkan sekali di akhir / rounded once at the end (PermenPANRB 14/2017, bobot 1/9 eksak / exact 1/9 weight)',
    serviceUsers: users,
    // No case of the service recorded in the period (a service not run through Loket): the rule cannot be checked.
    sample: users > 0 ? sampleSufficient(sums.n, users) : null,
    trend: months.map((m) => ({ month: m.month, respondents: m.n, score: ikmScoreFromSums(m.s, m.n)!.score })),
    generatedAt: msToLocal(tz, Date.now()),
  };
}

/** The answers of the period as CSV (no identity exists to leave out; the profile is the optional one). */
export async function ikmCsv(db: D1Database, session: Session, service: IkmService, from: string, to: string): Promise<string> {
  const office = await findOffice(db, session.officeCode);
  if (!office) throw new ApiError('not_found');
  const tz = serviceHoursFromRow(office).timeZone;
  const [start, end] = periodMs(tz, from, to);
  const rows = await sql.listResponses(db, session.officeCode, service, start, end, 50_000);
  const header = ['answered_at', 'source', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9', 'sex', 'age_group', 'education', 'occupation'];
  const lines = rows.map((r) => header.map((h) => (h === 'answered_at' ? msToLocal(tz, Number(r[h])).replace('T', ' ') : String(r[h] ?? ''))));
  return [header, ...lines].map((l) => l.join(',')).join('\r\n') + '\r\n';
}
