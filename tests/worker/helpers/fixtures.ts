/** Small fixtures for worker tests: a few registry rows in the two test offices, and UUIDv7 ids. */
import { ensureOffices } from './auth';

export const RESIDENT_NIK = '6309014101000001'; // Tabalong, woman born 01-01-2000
export const RESIDENT_EMAIL = 'warga@example.test';
export const OTHER_OFFICE_NIK = '1571010101900001'; // Kota Jambi

export async function seedMinimalOffice(db: D1Database): Promise<void> {
  await ensureOffices(db);
  await db.batch([
    db.prepare("INSERT OR IGNORE INTO families (kk_number, office_code, address, region_code) VALUES ('6309010101200001', '63.09', 'Jl. Tanjung 1', '63.09.01')"),
    db.prepare("INSERT OR IGNORE INTO families (kk_number, office_code, address, region_code) VALUES ('1571010101200001', '15.71', 'Jl. Jambi 1', '15.71.01')"),
    db.prepare(
      `INSERT OR IGNORE INTO residents (nik, kk_number, name, birth_place, birth_date, sex, marital_status, mother_maiden_name_hash, ektp_recorded, email, phone, region_code, office_code)
       VALUES (?, '6309010101200001', 'SITI AMINAH', 'Tanjung', '2000-01-01', 'P', 'BELUM_KAWIN', 'x', 1, ?, '081200000001', '63.09.01', '63.09')`,
    ).bind(RESIDENT_NIK, RESIDENT_EMAIL),
    db.prepare(
      `INSERT OR IGNORE INTO residents (nik, kk_number, name, birth_place, birth_date, sex, marital_status, mother_maiden_name_hash, ektp_recorded, email, phone, region_code, office_code)
       VALUES (?, '1571010101200001', 'BUDI SANTOSO', 'Jambi', '1990-01-01', 'L', 'KAWIN', 'x', 1, NULL, NULL, '15.71.01', '15.71')`,
    ).bind(OTHER_OFFICE_NIK),
  ]);
}

export { uuid7 } from '../../../schema/ids';
