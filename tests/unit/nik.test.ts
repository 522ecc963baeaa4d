// NIK and KK number rules: table cases from the spec and properties over generated numbers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeKk, makeNik, maskNik, parseKk, parseNik, type Sex } from '../../schema/nik';
import { knownDistrictCodes } from '../../schema/regions';

const TODAY = '2026-11-23';
const nik = (district: string, ddmmyy: string, serial = '0001') => district + ddmmyy + serial;

describe('parseNik: table', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['man, 5 Feb 2005', nik('630906', '050205'), { ok: true, birthDate: '2005-02-05', sex: 'L', serial: 1 }],
    ['woman, day 45 → 5', nik('630906', '450205'), { ok: true, birthDate: '2005-02-05', sex: 'P' }],
    ['Feb 29 in a leap year (2004)', nik('157101', '290204'), { ok: true, birthDate: '2004-02-29' }],
    ['Feb 29 in 2000 (divisible by 400)', nik('157101', '290200'), { ok: true, birthDate: '2000-02-29' }],
    ['Feb 29 in a non-leap year (2005)', nik('157101', '290205'), { ok: false, reason: 'invalid_date' }],
    ['woman Feb 29 leap (day 69)', nik('157101', '690296'), { ok: true, birthDate: '1996-02-29', sex: 'P' }],
    ['woman day 41 → 1st', nik('157101', '410190'), { ok: true, birthDate: '1990-01-01', sex: 'P' }],
    ['woman day 71 → 31st', nik('157101', '711290'), { ok: true, birthDate: '1990-12-31', sex: 'P' }],
    ['woman day 72', nik('157101', '721290'), { ok: false, reason: 'invalid_date' }],
    ['woman day 71 in April (30 days)', nik('157101', '710490'), { ok: false, reason: 'invalid_date' }],
    ['day 32', nik('157101', '320190'), { ok: false, reason: 'invalid_date' }],
    ['day 40', nik('157101', '400190'), { ok: false, reason: 'invalid_date' }],
    ['day 00', nik('157101', '000190'), { ok: false, reason: 'invalid_date' }],
    ['day 99', nik('157101', '990190'), { ok: false, reason: 'invalid_date' }],
    ['month 13', nik('157101', '011390'), { ok: false, reason: 'invalid_date' }],
    ['month 00', nik('157101', '010090'), { ok: false, reason: 'invalid_date' }],
    ['31 June', nik('157101', '310690'), { ok: false, reason: 'invalid_date' }],
    ['serial 0000', nik('157101', '010190', '0000'), { ok: false, reason: 'invalid_serial' }],
    ['serial 9999', nik('157101', '010190', '9999'), { ok: true, serial: 9999 }],
    ['unknown province', nik('990101', '010190'), { ok: false, reason: 'unknown_region' }],
    ['unknown district of a known regency', nik('157199', '010190'), { ok: false, reason: 'unknown_region' }],
    ['province code 00', nik('000000', '010190'), { ok: false, reason: 'unknown_region' }],
    ['year 05 → 2005, not 1905', nik('157101', '010105'), { ok: true, birthDate: '2005-01-01' }],
    ['year 26 before today → 2026', nik('157101', '010126'), { ok: true, birthDate: '2026-01-01' }],
    ['today itself', nik('157101', '231126'), { ok: true, birthDate: '2026-11-23' }],
    ['tomorrow in 2026 → 1926', nik('157101', '241126'), { ok: true, birthDate: '1926-11-24' }],
    ['year 50 → 1950', nik('157101', '010150'), { ok: true, birthDate: '1950-01-01' }],
    ['15 digits', '157101010190001', { ok: false, reason: 'not_16_digits' }],
    ['17 digits', '15710101019000101', { ok: false, reason: 'not_16_digits' }],
    ['letters', '15710101019O0001', { ok: false, reason: 'not_16_digits' }],
    ['spaces', '1571 0101 9000 01', { ok: false, reason: 'not_16_digits' }],
    ['full-width digits', '１５７１０１０１０１９０００１', { ok: false, reason: 'not_16_digits' }],
  ];
  it.each(cases)('%s', (_label, input, expected) => {
    expect(parseNik(input, TODAY)).toMatchObject(expected);
  });

  it('a retired Papua code (91.01 Merauke, before the 2022 split) is still valid and names today\'s region', () => {
    const r = parseNik(nik('910101', '170885', '0042'), TODAY);
    expect(r).toMatchObject({ ok: true, birthDate: '1985-08-17', sex: 'L', serial: 42 });
    if (!r.ok) throw new Error('expected ok');
    expect(r.region).toMatchObject({ legacy: true, district: 'Merauke', province: 'Papua', currentCode: '930101' });
    expect(r.region.current?.province).toBe('Papua Selatan');
  });

  it('refuses a date after today in both centuries it may belong to', () => {
    // Only reachable with an early "today": 1 July 1999 and 2099 are both after 30 June 1999.
    expect(parseNik(nik('157101', '010799'), '1999-06-30')).toMatchObject({ ok: false, reason: 'future_date' });
    expect(parseNik(nik('157101', '300699'), '1999-06-30')).toMatchObject({ ok: true, birthDate: '1999-06-30' });
  });

  it('reads a Date "today" in WIT, so a birth already dated in Jayapura is not in the future', () => {
    // 15:30 UTC on 22 Nov = 00:30 on 23 Nov in WIT.
    expect(parseNik(nik('157101', '231126'), new Date('2026-11-22T15:30:00Z'))).toMatchObject({ birthDate: '2026-11-23' });
    expect(parseNik(nik('157101', '231126'), new Date('2026-11-22T14:30:00Z'))).toMatchObject({ birthDate: '1926-11-23' });
  });

  it('gives an Indonesian and an English message', () => {
    const r = parseNik('123', TODAY);
    expect(r).toMatchObject({ ok: false, reason: 'not_16_digits', message: { id: expect.stringContaining('16 angka'), en: expect.stringContaining('16 digits') } });
  });
});

describe('parseKk: table', () => {
  it.each([
    ['issued 3 Jan 2015', '1571020301150003', { ok: true, issueDate: '2015-01-03', serial: 3 }],
    ['day 43 is no date on a KK', '1571024301150003', { ok: false, reason: 'invalid_date' }],
    ['29 Feb 2023', '1571022902230003', { ok: false, reason: 'invalid_date' }],
    ['serial 0000', '1571020301150000', { ok: false, reason: 'invalid_serial' }],
    ['unknown region', '9901020301150003', { ok: false, reason: 'unknown_region' }],
    ['16 chars with a dash', '157102-301150003', { ok: false, reason: 'not_16_digits' }],
    ['retired Papua code', '9102010101100001', { ok: true, issueDate: '2010-01-01' }],
  ] as const)('%s', (_l, input, expected) => {
    const r = parseKk(input, TODAY);
    expect(r).toMatchObject(expected);
    if (!r.ok) expect(r.message.id).toContain('KK');
  });
  it('refuses a future date of issue', () => {
    expect(parseKk('1571020107990001', '1999-06-30')).toMatchObject({ ok: false, reason: 'future_date' });
  });
});

describe('maskNik', () => {
  it('keeps the first and last four digits', () => {
    expect(maskNik('1571020101900001')).toBe('1571••••••••0001');
    expect(maskNik('1234')).toBe('••••');
  });
});

// ---- properties ----

const { current, retired } = knownDistrictCodes();
const district = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...current) },
  { weight: 1, arbitrary: fc.constantFrom(...retired) },
);
const DAY = 86_400_000;
const todayMs = Date.parse(`${TODAY}T00:00:00Z`);
// Births within the 100 years before today: exactly the span where the two-digit year is unambiguous.
const birthDate = fc
  .integer({ min: Date.parse('1926-11-24T00:00:00Z') / DAY, max: todayMs / DAY })
  .map((d) => new Date(d * DAY).toISOString().slice(0, 10));
const sex = fc.constantFrom<Sex>('L', 'P');
const serial = fc.integer({ min: 1, max: 9999 });

/** Independent oracle over JS Date: is DDMMYY a real, non-future birth date (by the century rule)? */
function oracleDate(ddmmyy: string): string | undefined {
  let d = Number(ddmmyy.slice(0, 2));
  if (d > 40) d -= 40;
  const m = Number(ddmmyy.slice(2, 4));
  const yy = Number(ddmmyy.slice(4, 6));
  if (d < 1 || d > 31 || m < 1 || m > 12) return undefined;
  for (const y of [2000 + yy, 1900 + yy]) {
    const t = Date.UTC(y, m - 1, d); // an impossible day rolls over into the next month
    if (t > todayMs) continue;
    const real = new Date(t);
    return real.getUTCDate() === d ? real.toISOString().slice(0, 10) : undefined;
  }
  return undefined;
}

describe('NIK properties', () => {
  it('every generated NIK parses back to the same fields', () => {
    fc.assert(
      fc.property(district, birthDate, sex, serial, (dc, bd, s, n) => {
        const made = makeNik({ district: dc, birthDate: bd, sex: s, serial: n });
        expect(made).toMatch(/^\d{16}$/);
        const r = parseNik(made, TODAY);
        expect(r).toMatchObject({ ok: true, birthDate: bd, sex: s, serial: n, region: { code: dc } });
      }),
      { numRuns: 2000 },
    );
  });

  it('the date part is accepted exactly when it is a real, non-future date (single-digit edits)', () => {
    fc.assert(
      fc.property(district, birthDate, sex, serial, fc.integer({ min: 6, max: 11 }), fc.integer({ min: 0, max: 9 }), (dc, bd, s, n, pos, digit) => {
        const valid = makeNik({ district: dc, birthDate: bd, sex: s, serial: n });
        const edited = valid.slice(0, pos) + String(digit) + valid.slice(pos + 1);
        const expected = oracleDate(edited.slice(6, 12));
        const r = parseNik(edited, TODAY);
        if (expected) expect(r).toMatchObject({ ok: true, birthDate: expected });
        else expect(r).toMatchObject({ ok: false, reason: 'invalid_date' });
      }),
      { numRuns: 3000 },
    );
  });

  it('whatever parses can be rebuilt digit for digit', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 10, maxLength: 10 });
    fc.assert(
      fc.property(district, digits, (dc, rest) => {
        const candidate = dc + rest;
        const r = parseNik(candidate, TODAY);
        if (r.ok) expect(makeNik({ district: dc, birthDate: r.birthDate, sex: r.sex, serial: r.serial })).toBe(candidate);
        else expect(['invalid_date', 'invalid_serial']).toContain(r.reason);
      }),
      { numRuns: 3000 },
    );
  });

  it('changing any region digit to an unknown district is refused as unknown_region', () => {
    fc.assert(
      fc.property(district, birthDate, sex, serial, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 9 }), (dc, bd, s, n, pos, digit) => {
        const edited = dc.slice(0, pos) + String(digit) + dc.slice(pos + 1);
        const r = parseNik(makeNik({ district: dc, birthDate: bd, sex: s, serial: n }).replace(dc, edited), TODAY);
        const known = current.includes(edited) || retired.includes(edited);
        expect(r.ok).toBe(known);
        if (!known) expect(r).toMatchObject({ reason: 'unknown_region' });
      }),
      { numRuns: 1000 },
    );
  });

  it('masking never reveals the birth date digits', () => {
    fc.assert(
      fc.property(district, birthDate, sex, serial, (dc, bd, s, n) => {
        const made = makeNik({ district: dc, birthDate: bd, sex: s, serial: n });
        const masked = maskNik(made);
        expect(masked.slice(0, 4) + masked.slice(-4)).toBe(made.slice(0, 4) + made.slice(-4));
        expect(masked.slice(4, 12)).toBe('•'.repeat(8));
      }),
    );
  });

  it('KK numbers round-trip', () => {
    fc.assert(
      fc.property(district, birthDate, serial, (dc, d, n) => {
        expect(parseKk(makeKk({ district: dc, issueDate: d, serial: n }), TODAY)).toMatchObject({ ok: true, issueDate: d, serial: n });
      }),
    );
  });

  it('makeNik refuses impossible input', () => {
    expect(() => makeNik({ district: '157199', birthDate: '1990-01-01', sex: 'L', serial: 1 })).toThrow(RangeError);
    expect(() => makeNik({ district: '157101', birthDate: '1990-02-30', sex: 'L', serial: 1 })).toThrow(RangeError);
    expect(() => makeNik({ district: '157101', birthDate: '1990-01-01', sex: 'L', serial: 0 })).toThrow(RangeError);
    expect(makeNik({ district: '63.09.06', birthDate: '2005-02-05', sex: 'P', serial: 1 })).toBe('6309064502050001');
  });
});
