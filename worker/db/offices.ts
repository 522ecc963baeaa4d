/** SQL of an office's settings: service hours and holidays as the admin screen reads and writes them. */
import type { Holiday, TimeZone, WeeklyHours } from '../../schema/service-time';

export interface OfficeSettingsRow {
  code: string;
  name: string;
  time_zone: TimeZone;
  service_hours_json: string;
  holidays_json: string;
  updated_at: string | null;
}

export function findOfficeSettings(db: D1Database, code: string): Promise<OfficeSettingsRow | null> {
  return db
    .prepare('SELECT code, name, time_zone, service_hours_json, holidays_json, updated_at FROM offices WHERE code = ?')
    .bind(code)
    .first<OfficeSettingsRow>();
}

/** Writes only the parts given; `hours`/`holidays` undefined keep the stored value. */
export function updateOfficeSettings(
  db: D1Database,
  code: string,
  change: { hours?: WeeklyHours; holidays?: readonly Holiday[] },
  updatedAt: string,
): D1PreparedStatement {
  return db
    .prepare('UPDATE offices SET service_hours_json = coalesce(?, service_hours_json), holidays_json = coalesce(?, holidays_json), updated_at = ? WHERE code = ?')
    .bind(change.hours === undefined ? null : JSON.stringify(change.hours), change.holidays === undefined ? null : JSON.stringify(change.holidays), updatedAt, code);
}
