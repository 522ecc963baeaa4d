/** SQL of the digital KTP: who may get a credential (session assurance, account, bound device), device states, seen nonces. */

export interface KtpSubjectRow {
  assurance: string | null;
  account_status: string | null;
  office_code: string | null;
}

/** The session's assurance and the resident's IKD account, in one read. */
export function ktpSubject(db: D1Database, tokenHash: string, nik: string): Promise<KtpSubjectRow | null> {
  return db
    .prepare(
      `SELECT s.assurance AS assurance, a.status AS account_status, a.office_code AS office_code
       FROM sessions s LEFT JOIN ikd_accounts a ON a.nik = ?
       WHERE s.token_hash = ? AND s.subject_type = 'resident' AND s.subject_id = ?`,
    )
    .bind(nik, tokenHash, nik)
    .first<KtpSubjectRow>();
}

export interface KtpDeviceRow {
  thumbprint: string;
  public_jwk: string;
  status: 'pending' | 'bound' | 'released' | 'blocked';
}

/** The resident's bound device (at most one: unique index devices_one_bound). */
export function boundDevice(db: D1Database, nik: string): Promise<KtpDeviceRow | null> {
  return db.prepare(`SELECT thumbprint, public_jwk, status FROM devices WHERE nik = ? AND status = 'bound'`).bind(nik).first<KtpDeviceRow>();
}

export function deviceStatus(db: D1Database, thumbprint: string): Promise<{ status: KtpDeviceRow['status']; nik: string } | null> {
  return db.prepare('SELECT status, nik FROM devices WHERE thumbprint = ?').bind(thumbprint).first<{ status: KtpDeviceRow['status']; nik: string }>();
}

/**
 * Thumbprints of once-bound devices blocked (lost phone) or released ("lepas perangkat") since `since` (epoch ms):
 * older ones and never-bound ones hold no unexpired credential (issued only to bound devices, living at most the TTL).
 */
export async function revokedThumbprints(db: D1Database, since: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT thumbprint FROM devices WHERE status = 'blocked' AND blocked_at >= ?1 AND bound_at IS NOT NULL
       UNION SELECT thumbprint FROM devices WHERE status = 'released' AND released_at >= ?1 AND bound_at IS NOT NULL
       ORDER BY thumbprint`,
    )
    .bind(since)
    .all<{ thumbprint: string }>();
  return results.map((r) => r.thumbprint);
}

/**
 * Records a presentation nonce; true when it was new. Expired rows go in the same batch, so the table holds only
 * the last couple of minutes of scans.
 */
export async function claimNonce(db: D1Database, key: string, expiresAt: number, now: number): Promise<boolean> {
  const [, inserted] = await db.batch([
    db.prepare('DELETE FROM ktp_seen_nonces WHERE expires_at < ?').bind(now),
    db.prepare('INSERT INTO ktp_seen_nonces (nonce_key, expires_at) VALUES (?, ?) ON CONFLICT(nonce_key) DO NOTHING').bind(key, expiresAt),
  ]);
  return (inserted?.meta.changes ?? 0) === 1;
}

