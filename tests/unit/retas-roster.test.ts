/** RETAS roster rules: eligibility on the recording day, student keys, the school list's CSV rows. */
import { describe, expect, it } from 'vitest';
import { addMonths, birthdayAt, parseSchoolDate, registryMatch, retasEligibility, rowsToStudents, studentKey } from '../../schema/retas/roster';

describe('retasEligibility', () => {
  it('17 on the recording day is eligible; the day before the birthday is not (without an early period)', () => {
    expect(retasEligibility('2009-12-14', '2026-12-14')).toEqual({ eligible: true, basis: 'seventeen', turns17On: '2026-12-14' });
    expect(retasEligibility('2009-12-15', '2026-12-14')).toEqual({ eligible: false, basis: 'too_young', turns17On: '2026-12-15' });
    expect(retasEligibility('2000-01-01', '2026-12-14')).toMatchObject({ eligible: true, basis: 'seventeen' });
  });
  it('turning 17 within the office period counts, up to its last day, not a day beyond', () => {
    expect(retasEligibility('2010-06-14', '2026-12-14', 6)).toEqual({ eligible: true, basis: 'turning_seventeen', turns17On: '2027-06-14' });
    expect(retasEligibility('2010-06-15', '2026-12-14', 6)).toMatchObject({ eligible: false, basis: 'too_young' });
    expect(retasEligibility('2010-06-14', '2026-12-14', 0)).toMatchObject({ eligible: false });
  });
  it('the period is capped at 12 months; a 16-year-old a year off is not taken', () => {
    expect(retasEligibility('2010-12-14', '2026-12-14', 48)).toMatchObject({ eligible: true, basis: 'turning_seventeen' });
    expect(retasEligibility('2010-12-15', '2026-12-14', 48)).toMatchObject({ eligible: false });
  });
  it('29 February: 17 on 1 March of a common year', () => {
    expect(birthdayAt('2008-02-29', 17)).toBe('2025-03-01');
    expect(retasEligibility('2008-02-29', '2025-02-28')).toMatchObject({ eligible: false });
    expect(retasEligibility('2008-02-29', '2025-03-01')).toMatchObject({ eligible: true, basis: 'seventeen' });
  });
  it('impossible or future birth dates are not eligible', () => {
    expect(retasEligibility('2009-02-30', '2026-12-14')).toEqual({ eligible: false, basis: 'bad_birth_date' });
    expect(retasEligibility('2027-01-01', '2026-12-14')).toEqual({ eligible: false, basis: 'bad_birth_date' });
  });
  it('addMonths clamps to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-14', 1)).toBe('2027-01-14');
  });
});

describe('studentKey and school CSV rows', () => {
  it('the NISN names a student; without it the normalised name and birth date do', () => {
    expect(studentKey({ nisn: '0091234567', name: 'x', birthDate: '2009-01-01' })).toBe('nisn:0091234567');
    expect(studentKey({ name: "Nur'aini  Śiti", birthDate: '2009-01-01' })).toBe(studentKey({ name: 'NURAINI SITI', birthDate: '2009-01-01' }));
    expect(studentKey({ name: 'Siti', birthDate: '2009-01-01' })).not.toBe(studentKey({ name: 'Siti', birthDate: '2009-01-02' }));
  });
  it('reads dates as schools write them', () => {
    expect(parseSchoolDate('20/12/2009')).toBe('2009-12-20');
    expect(parseSchoolDate('5-1-2009')).toBe('2009-01-05');
    expect(parseSchoolDate('2009-12-20')).toBe('2009-12-20');
    expect(parseSchoolDate('31/02/2009')).toBeUndefined();
    expect(parseSchoolDate('kemarin')).toBeUndefined();
  });
  it('maps a school export, names the rows it cannot read and keeps a repeated student once', () => {
    const rows = [
      { 'Nama Siswa': 'Andi Saputra', NISN: '91234567', 'Tgl. Lahir': '20/12/2009', Kelas: 'XII IPA 1', JK: 'l' },
      { 'Nama Siswa': 'Budi', NISN: '', 'Tgl. Lahir': '31/02/2009', Kelas: '', JK: '' },
      { 'Nama Siswa': 'Andi Saputra', NISN: '0091234567', 'Tgl. Lahir': '20/12/2009', Kelas: 'XII IPA 1', JK: 'L' },
      { 'Nama Siswa': '', NISN: '', 'Tgl. Lahir': '', Kelas: '', JK: '' },
      { 'Nama Siswa': 'Citra Dewi', NISN: '', 'Tgl. Lahir': '2010-01-05', Kelas: 'XI', JK: 'P' },
    ];
    const { students, problems } = rowsToStudents(rows);
    expect(students).toEqual([
      { name: 'Andi Saputra', birthDate: '2009-12-20', nisn: '0091234567', className: 'XII IPA 1', sex: 'L' },
      { name: 'Citra Dewi', birthDate: '2010-01-05', className: 'XI', sex: 'P' },
    ]);
    expect(problems).toEqual([{ row: 2, field: 'birthDate', value: '31/02/2009' }, { row: 3, field: 'duplicate', value: 'Andi Saputra' }]);
  });
  it('a list without a name or birth-date column is refused as a whole', () => {
    expect(rowsToStudents([{ siswa: 'A', lahir: '2009-01-01' }])).toEqual({ students: [], problems: [{ row: 0, field: 'columns', value: 'siswa, lahir' }] });
  });
  it('reads an optional NIK column (spaces and dots dropped); a NIK in scientific notation is reported, not guessed', () => {
    const { students, problems } = rowsToStudents([
      { Nama: 'Rina Melati', 'Tanggal Lahir': '05/05/2009', NIK: '6309 0145 0509 0001' },
      { Nama: 'Dewi Lestari', 'Tanggal Lahir': '06/06/2009', NIK: '6.30901E+15' },
      { Nama: 'Tanpa Nik', 'Tanggal Lahir': '07/07/2009', NIK: '' },
    ]);
    expect(students).toEqual([{ name: 'Rina Melati', birthDate: '2009-05-05', nik: '6309014505090001' }, { name: 'Tanpa Nik', birthDate: '2009-07-07' }]);
    expect(problems).toEqual([{ row: 2, field: 'nik', value: '6.30901E+15' }]);
  });
});

describe('registryMatch', () => {
  const nik = '6309014505090001';
  it('matched only when the NIK is known with the same name (spelling aside) and birth date', () => {
    expect(registryMatch({ name: "Rina  Melati'", birthDate: '2009-05-05', nik }, { name: 'RINA MELATI', birthDate: '2009-05-05' })).toBe('matched');
    expect(registryMatch({ name: 'Rina Melati', birthDate: '2009-05-06', nik }, { name: 'RINA MELATI', birthDate: '2009-05-05' })).toBe('differs');
    expect(registryMatch({ name: 'Rini Melati', birthDate: '2009-05-05', nik }, { name: 'RINA MELATI', birthDate: '2009-05-05' })).toBe('differs');
    expect(registryMatch({ name: 'Rina Melati', birthDate: '2009-05-05', nik }, undefined)).toBe('not_found');
    expect(registryMatch({ name: 'Rina Melati', birthDate: '2009-05-05' }, { name: 'RINA MELATI', birthDate: '2009-05-05' })).toBe('no_nik');
  });
});
