/** SQL of the browsers a staff account signed in from (known_devices), behind worker/auth/known-device.ts. */

export async function isKnownDevice(db: D1Database, userId: string, deviceHash: string): Promise<boolean> {
  const row = await db.prepare('SELECT 1 AS known FROM known_devices WHERE user_id = ? AND device_hash = ?').bind(userId, deviceHash).first<{ known: number }>();
  return row !== null;
}

/** Remembers (or refreshes) a browser after a successful sign-in; runs in the sign-in's audited batch. */
export function rememberDevice(db: D1Database, userId: string, deviceHash: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO known_devices (user_id, device_hash, first_seen_at, last_seen_at) VALUES (?1, ?2, ?3, ?3)
       ON CONFLICT(user_id, device_hash) DO UPDATE SET last_seen_at = ?3`,
    )
    .bind(userId, deviceHash, now);
}
