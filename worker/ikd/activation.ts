/**
 * Activation links (seed 003 step 4–5): an ES256 token for the email link, a random 6-digit activation PIN kept only
 * as a peppered hash, single use, 24 hours, 5 wrong PINs kill the link. Opening a link maps each way it can fail to
 * its own problem code.
 */
import { errors as joseErrors } from 'jose';
import { ACTIVATION_PIN_TRIES, ACTIVATION_TTL_SECONDS } from '../../schema/ikd-rules';
import type { TimeZone } from '../../schema/service-time';
import { hashPassword, verifyPassword } from '../auth/password';
import type { CaseRow, Guard } from '../db/cases';
import { getLink, ikdNotificationIf, insertLinkIf, killLink, type LinkRow, refundLinkTry, reserveLinkTry, revokeLiveLinksIf } from '../db/ikd';
import { notificationStatementIf } from '../notify/outbox';
import type { Env } from '../env';
import { ApiError } from '../errors';
import { signToken, verifyToken } from '../keys';
import { randomPin, randomToken } from './device-keys';
import { activationEmail, activationNotice } from './notices';

export const ACTIVATION_TYP = 'ikd-activation+jwt';
export const ACTIVATION_AUDIENCE = 'loket:ikd-activation';
/** The PWA page that reads the token from the fragment (never sent to a server log). */
export const ACTIVATION_PATH = '/aktivasi';

type Secrets = Pick<Env, 'PEPPER' | 'OFFICE_SIGNING_KEYS' | 'PUBLIC_ORIGIN'>;

/**
 * Statements that retire the resident's live links and create a new one with its email (body wiped after sending)
 * and a WhatsApp notice without the PIN; all guarded by the case stamp.
 */
export async function issueActivation(
  env: Secrets,
  db: D1Database,
  guard: Guard,
  p: { caseRow: CaseRow; email: string; phone: string | null; actor: string; now: number; office: { name: string; tz: TimeZone } },
): Promise<{ statements: D1PreparedStatement[]; expiresAt: number }> {
  const nik = p.caseRow.resident_nik;
  if (!nik) throw new Error('IKD case without a resident');
  const jti = randomToken(16);
  const pin = randomPin();
  const expiresAt = p.now + ACTIVATION_TTL_SECONDS * 1000;
  const token = await signToken(env, { typ: ACTIVATION_TYP, audience: ACTIVATION_AUDIENCE, ttlSeconds: ACTIVATION_TTL_SECONDS, subject: p.caseRow.id, jti }, {}, p.now);
  const link = `${env.PUBLIC_ORIGIN}${ACTIVATION_PATH}#t=${token}`;
  const mail = activationEmail({ officeName: p.office.name, tz: p.office.tz, link, pin, expiresAt });
  const statements = [
    revokeLiveLinksIf(db, guard, nik, p.now),
    insertLinkIf(db, guard, { jti, nik, caseId: p.caseRow.id, pinHash: await hashPassword(pin, env.PEPPER), createdBy: p.actor, now: p.now, expiresAt }),
    ikdNotificationIf(db, guard, { channel: 'email', recipient: p.email, subject: mail.subject, body: mail.body, dueAt: p.now, scrubAfterSend: true }, p.now),
  ];
  if (p.phone) {
    const notice = activationNotice({ officeName: p.office.name });
    statements.push(notificationStatementIf(db, { channel: 'whatsapp', recipient: p.phone, subject: notice.subject, body: notice.body, caseId: p.caseRow.id }, p.now, guard));
  }
  return { statements, expiresAt };
}

const LINK_CLOSED: Record<Exclude<LinkRow['status'], 'live'>, ApiError> = {
  used: new ApiError('activation_link_used', 'Tautan aktivasi sudah dipakai. / This activation link was already used.'),
  dead: new ApiError(
    'activation_link_dead',
    'Tautan aktivasi tidak berlaku lagi setelah 5 kali PIN salah; minta petugas mengirim ulang. / The link closed after 5 wrong PINs; ask the office for a new one.',
  ),
  revoked: new ApiError('activation_link_revoked', 'Tautan ini sudah diganti dengan yang lebih baru; pakai email terakhir. / A newer link replaced this one; use the latest email.'),
};

const expired = () => new ApiError('activation_link_expired', 'Tautan aktivasi sudah kedaluwarsa; minta petugas mengirim ulang. / The activation link has expired; ask the office for a new one.');
const invalid = () => new ApiError('activation_link_invalid', 'Tautan aktivasi tidak sah. / This activation link is not valid.');

/**
 * The link row behind a token, refusing with distinct codes: invalid (bad signature, wrong kind, unknown),
 * expired, used, dead (5 wrong PINs), revoked (a newer link exists).
 */
export async function openLink(env: Secrets, db: D1Database, token: string, now: number): Promise<LinkRow> {
  let jti: string | undefined;
  let subject: string | undefined;
  try {
    const payload = await verifyToken(env, token, { typ: ACTIVATION_TYP, audience: ACTIVATION_AUDIENCE }, now);
    jti = payload.jti;
    subject = payload.sub;
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) {
      // Still tell "used" apart from "expired" when the signature is ours: the row knows.
      const row = err.payload.jti ? await getLink(db, err.payload.jti) : null;
      if (row && row.status !== 'live' && row.status !== 'revoked') throw LINK_CLOSED[row.status];
      throw expired();
    }
    throw invalid();
  }
  const row = jti ? await getLink(db, jti) : null;
  if (!row || row.case_id !== subject) throw invalid();
  if (row.status !== 'live') throw LINK_CLOSED[row.status];
  if (row.expires_at <= now) throw expired();
  return row;
}

/**
 * Checks the emailed activation PIN against a live link. Each check takes one of the 5 tries first (parallel guesses
 * cannot exceed them); a right PIN gives it back; the 5th wrong one kills the link.
 * @returns tries left after this (right) attempt
 */
export async function checkActivationPin(env: Pick<Env, 'PEPPER'>, db: D1Database, link: LinkRow, pin: string, now: number): Promise<number> {
  const tries = await reserveLinkTry(db, link.jti, now, ACTIVATION_PIN_TRIES);
  if (tries === null) {
    const current = await getLink(db, link.jti);
    if (current && current.status !== 'live') throw LINK_CLOSED[current.status];
    if (current && current.expires_at <= now) throw expired();
    // Live but out of tries: a concurrent request is about to close it.
    throw LINK_CLOSED.dead;
  }
  const right = link.pin_hash !== null && (await verifyPassword(pin, link.pin_hash, env.PEPPER));
  if (right) {
    await refundLinkTry(db, link.jti).run();
    return ACTIVATION_PIN_TRIES - tries + 1;
  }
  if (tries >= ACTIVATION_PIN_TRIES) {
    await killLink(db, link.jti, now).run();
    throw LINK_CLOSED.dead;
  }
  const left = ACTIVATION_PIN_TRIES - tries;
  throw new ApiError('pin_wrong', `PIN aktivasi salah; sisa ${left} kali. / Wrong activation PIN; ${left} tries left.`, { attemptsLeft: left });
}
