/** Small fixtures for worker tests: two offices and a few registry rows, and UUIDv7 ids. */

export const RESIDENT_NIK = '6309014101000001'; // Tabalong, woman born 01-01-2000
export const RESIDENT_EMAIL = 'warga@example.test';
export const OTHER_OFFICE_NIK = '1571010101900001'; // Kota Jambi

const HOURS = JSON.stringify({ mon: [['08:30', '16:00']], tue: [['08:30', '16:00']], wed: [['08:30', '16:00']], thu: [['08:30', '16:00']], fri: [['08:00', '10:30']] });

export async function seedMinimalOffice(db: D1Database): Promise<void> {
  await db.batch([
    db.prepare("INSERT OR IGNORE INTO offices (code, name, region_code, time_zone, service_hours_json) VALUES ('63.09', 'Kabupaten Tabalong', '63.09', 'Asia/Makassar', ?)").bind(HOURS),
    db.prepare("INSERT OR IGNORE INTO offices (code, name, region_code, time_zone, service_hours_json) VALUES ('15.71', 'Kota Jambi', '15.71', 'Asia/Jakarta', ?)").bind(HOURS),
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
