/** SQL of the failed-attempt counters (throttles table) behind worker/auth/throttle.ts. */

export interface ThrottleRow {
  key: string;
  failures: number;
  window_start: number;
  locked_until: number;
}

export async function readThrottles(db: D1Database, keys: string[]): Promise<ThrottleRow[]> {
  if (keys.length === 0) return [];
  // One JSON parameter: D1 binds at most 100 values per statement.
  const { results } = await db
    .prepare('SELECT key, failures, window_start, locked_until FROM throttles WHERE key IN (SELECT value FROM json_each(?))')
    .bind(JSON.stringify(keys))
    .all<ThrottleRow>();
  return results;
}

/**
 * Counts one failure atomically: a counter whose window (from its first failure) is over starts again at 1.
 * All right-hand sides see the row as it was, so the three CASEs agree.
 */
export function countFailure(db: D1Database, key: string, now: number, windowMs: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO throttles (key, failures, window_start, locked_until) VALUES (?1, 1, ?2, 0)
       ON CONFLICT(key) DO UPDATE SET
         failures = CASE WHEN ?2 - window_start >= ?3 THEN 1 ELSE failures + 1 END,
         window_start = CASE WHEN ?2 - window_start >= ?3 THEN ?2 ELSE window_start END,
         locked_until = CASE WHEN ?2 - window_start >= ?3 THEN 0 ELSE locked_until END
       RETURNING failures, window_start`,
    )
    .bind(key, now, windowMs);
}

/** Never shortens a lock another request set meanwhile. */
export function lockUntil(db: D1Database, key: string, until: number): D1PreparedStatement {
  return db.prepare('UPDATE throttles SET locked_until = max(locked_until, ?) WHERE key = ?').bind(until, key);
}

export function clearThrottle(db: D1Database, key: string): D1PreparedStatement {
  return db.prepare('DELETE FROM throttles WHERE key = ?').bind(key);
}
