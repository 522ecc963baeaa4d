/** SQL of RETAS (migration 0061): the schools each office keeps. */

export interface SchoolRow {
  office_code: string;
  npsn: string;
  name: string;
  address: string;
  district_code: string;
  contact_name: string | null;
  contact_phone: string | null;
  active: number;
  updated_at: number;
}

export async function listSchools(db: D1Database, officeCode: string): Promise<SchoolRow[]> {
  const { results } = await db.prepare('SELECT * FROM retas_schools WHERE office_code = ? ORDER BY name').bind(officeCode).all<SchoolRow>();
  return results;
}

export function findSchool(db: D1Database, officeCode: string, npsn: string): Promise<SchoolRow | null> {
  return db.prepare('SELECT * FROM retas_schools WHERE office_code = ? AND npsn = ?').bind(officeCode, npsn).first<SchoolRow>();
}

/** Adds or updates a school of the office (NPSN is the key). */
export function upsertSchool(db: D1Database, s: SchoolRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO retas_schools (office_code, npsn, name, address, district_code, contact_name, contact_phone, active, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (office_code, npsn) DO UPDATE SET name = excluded.name, address = excluded.address, district_code = excluded.district_code,
         contact_name = excluded.contact_name, contact_phone = excluded.contact_phone, active = excluded.active, updated_at = excluded.updated_at`,
    )
    .bind(s.office_code, s.npsn, s.name, s.address, s.district_code, s.contact_name, s.contact_phone, s.active, s.updated_at);
}
