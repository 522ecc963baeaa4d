/** SQL of the offices table: the one place an office row is read (hours for service time, contact, settings) and written. */
import type { Holiday, TimeZone, WeeklyHours } from '../../schema/service-time';

export interface OfficeRow {
  code: string;
  name: string;
  time_zone: TimeZone;
  service_hours_json: string;
  holidays_json: string;
  wa_number: string | null;
  updated_at: string | null;
  /** RETAS: months before the 17th birthday the office records in (0–12). */
  retas_early_months: number;
}

export function findOffice(db: D1Database, code: string): Promise<OfficeRow | null> {
  return db
    .prepare('SELECT code, name, time_zone, service_hours_json, holidays_json, wa_number, updated_at, retas_early_months FROM offices WHERE code = ?')
    .bind(code)
    .first<OfficeRow>();
}

/** Writes only the parts given; `hours`/`holidays` undefined keep the stored value. */
export function updateOfficeSettings(
  db: D1Database,
  code: string,
  change: { hours?: WeeklyHours; holidays?: readonly Holiday[]; retasEarlyMonths?: number },
  updatedAt: string,
): D1PreparedStatement {
  return db
    .prepare('UPDATE offices SET service_hours_json = coalesce(?, service_hours_json), holidays_json = coalesce(?, holidays_json), retas_early_months = coalesce(?, retas_early_months), updated_at = ? WHERE code = ?')
    .bind(change.hours === undefined ? null : JSON.stringify(change.hours), change.holidays === undefined ? null : JSON.stringify(change.holidays), change.retasEarlyMonths ?? null, updatedAt, code);
}
