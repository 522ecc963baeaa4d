// Region lookups over the generated data: current codes, retired Papua codes and their successors.
import { describe, expect, it } from 'vitest';
import {
  districtsOfRegency,
  dotted,
  isKnownDistrict,
  knownDistrictCodes,
  regencyName,
  regionOfDistrict,
} from '../../schema/regions';

describe('regionOfDistrict', () => {
  it('names a current district, dotted or not', () => {
    const r = regionOfDistrict('15.71.01');
    expect(r).toEqual({
      code: '157101',
      province: 'Jambi',
      regency: 'Kota Jambi',
      district: 'Telanaipura',
      legacy: false,
      currentCode: '157101',
      current: { code: '157101', province: 'Jambi', regency: 'Kota Jambi', district: 'Telanaipura' },
    });
    expect(regionOfDistrict('630906')?.district).toBe('Murung Pudak');
    expect(regionOfDistrict('630906')?.regency).toBe('Kabupaten Tabalong');
  });

  it('knows a retired Papua code and names today\'s region after the 2022 split', () => {
    const r = regionOfDistrict('910101');
    expect(r).toMatchObject({
      code: '910101',
      province: 'Papua',
      regency: 'Kabupaten Merauke',
      district: 'Merauke',
      legacy: true,
      currentCode: '930101',
    });
    expect(r?.current).toEqual({ code: '930101', province: 'Papua Selatan', regency: 'Kabupaten Merauke', district: 'Merauke' });
  });

  it('keeps Kota and Kabupaten Sorong apart when mapping', () => {
    expect(regionOfDistrict('927101')?.current?.regency).toBe('Kota Sorong');
    expect(regionOfDistrict('927101')?.currentCode).toBe('967101');
    expect(regionOfDistrict('920101')?.current?.regency).toBe('Kabupaten Sorong');
  });

  it('maps a near spelling between lists (Holuon → Holuwon)', () => {
    expect(regionOfDistrict('911336')).toMatchObject({ legacy: true, district: 'Holuon', current: { district: 'Holuwon' } });
  });

  it('still-valid Papua (91.03 Jayapura) codes are current, not legacy', () => {
    expect(regionOfDistrict('910301')?.legacy).toBe(false);
    expect(regionOfDistrict('910301')?.province).toBe('Papua');
  });

  it('refuses unknown and malformed codes', () => {
    expect(regionOfDistrict('157199')).toBeUndefined();
    expect(regionOfDistrict('990101')).toBeUndefined();
    expect(regionOfDistrict('1571')).toBeUndefined();
    expect(regionOfDistrict('15.71.0x')).toBeUndefined();
    expect(isKnownDistrict('157101')).toBe(true);
  });

  it('every retired code maps to a current district of a Papua province', () => {
    const { current, retired } = knownDistrictCodes();
    expect(current).toHaveLength(7285);
    expect(retired.length).toBeGreaterThan(500);
    for (const code of retired) {
      const r = regionOfDistrict(code);
      expect(r?.legacy).toBe(true);
      expect(r?.currentCode?.slice(0, 2)).toMatch(/^9[1-6]$/);
    }
  });
});

describe('regency helpers', () => {
  it('lists the districts of the demo offices', () => {
    expect(districtsOfRegency('63.09').map((d) => d.name)).toContain('Tanjung');
    expect(districtsOfRegency('63.09')).toHaveLength(12);
    expect(districtsOfRegency('1571')).toHaveLength(11);
    expect(regencyName('15.71')).toBe('Kota Jambi');
    expect(dotted('630906')).toBe('63.09.06');
    expect(dotted('6309')).toBe('63.09');
  });
});
