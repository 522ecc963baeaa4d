/** SQL of the IKM survey: invitations, kiosks, answers and the per-element sums the score is computed from. */
import type { Guard } from './cases';

const DAY = 86_400_000;
/** A complaint's survey invitation stays open this long after the resolution. */
export const COMPLAINT_INVITATION_DAYS = 30;

async function sha256hex(s: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The invitation hash of a complaint, from its tracking hash (see migration 0051). */
export function complaintInvitationHash(trackingHashHex: string): Promise<string> {
  return sha256hex(`${trackingHashHex}:ikm`);
}

/**
 * The survey invitation a resolved complaint gets (the complaint-handling service), guarded by the case stamp;
 * a second resolution (after a reopen) keeps the first invitation.
 */
export function ikmInvitationForComplaintIf(db: D1Database, g: Guard, inv: { codeHash: string; officeCode: string; caseId: string }, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO ikm_invitations (code_hash, office_code, service, case_id, created_at, expires_at)
       SELECT ?, ?, 'aduan', ?, ?, ? WHERE EXISTS (SELECT 1 FROM cases WHERE id = ? AND last_command_id = ?)`,
    )
    .bind(inv.codeHash, inv.officeCode, inv.caseId, now, now + COMPLAINT_INVITATION_DAYS * DAY, g.caseId, g.commandId);
}
