/** SQL of the service-time dashboard: each step's start and end in a period, and the cases waiting in each state now. */

export interface StepSpan {
  case_id: string;
  action: string;
  from_state: string;
  started: number;
  at: number;
}

/** Steps of an office's service finished in [from, to), with the time their state was entered (the previous step). */
export async function stepSpans(db: D1Database, officeCode: string, service: string, from: number, to: number, limit = 50_000): Promise<StepSpan[]> {
  const { results } = await db
    .prepare(
      `SELECT s.case_id, s.action, s.from_state, p.at AS started, s.at
       FROM case_steps s
       JOIN cases c ON c.id = s.case_id
       JOIN case_steps p ON p.case_id = s.case_id AND p.version = s.version - 1
       WHERE c.office_code = ? AND c.service = ? AND s.from_state IS NOT NULL AND s.at >= ? AND s.at < ?
       ORDER BY s.at LIMIT ?`,
    )
    .bind(officeCode, service, from, to, limit)
    .all<StepSpan>();
  return results;
}

/** Open cases of the service by state with the time they entered it (for "overdue now"). */
export async function waitingCases(db: D1Database, officeCode: string, service: string): Promise<{ state: string; step_started_at: number }[]> {
  const { results } = await db
    .prepare('SELECT state, step_started_at FROM cases WHERE office_code = ? AND service = ?')
    .bind(officeCode, service)
    .all<{ state: string; step_started_at: number }>();
  return results;
}
