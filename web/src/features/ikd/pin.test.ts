import { describe, expect, it } from 'vitest';
import { birthDateFromNik, pinVerdict } from './pin';

describe('birthDateFromNik', () => {
  it('reads DDMMYY, with day + 40 for women, and guesses the century', () => {
    const now = new Date('2026-11-23T00:00:00Z');
    expect(birthDateFromNik('1571010507990003', now)).toBe('1999-07-05');
    expect(birthDateFromNik('1571014507990003', now)).toBe('1999-07-05');
    expect(birthDateFromNik('1571012311090001', now)).toBe('2009-11-23');
    expect(birthDateFromNik('157101991399000', now)).toBeUndefined();
    expect(birthDateFromNik('1571019913990001', now)).toBeUndefined();
    expect(birthDateFromNik(undefined, now)).toBeUndefined();
  });
});

describe('pinVerdict', () => {
  const nik = '1571014507990003';
  it('refuses the birth date forms the NIK gives away and the activation PIN', () => {
    expect(pinVerdict('050799', { nik })).toMatchObject({ ok: false, reason: 'birth_date' });
    expect(pinVerdict('990705', { nik })).toMatchObject({ ok: false, reason: 'birth_date' });
    expect(pinVerdict('450799', { nik })).toMatchObject({ ok: false, reason: 'birth_date' });
    expect(pinVerdict('490317', { nik, activationPin: '490317' })).toMatchObject({ ok: false, reason: 'same_as_activation_pin' });
  });
  it('refuses the common shapes and accepts an ordinary PIN', () => {
    expect(pinVerdict('123456', {})).toMatchObject({ ok: false, reason: 'sequential' });
    expect(pinVerdict('111111', {})).toMatchObject({ ok: false, reason: 'repeated' });
    expect(pinVerdict('121212', {})).toMatchObject({ ok: false, reason: 'pattern' });
    expect(pinVerdict('12345', {})).toMatchObject({ ok: false, reason: 'not_6_digits' });
    expect(pinVerdict('490317', { nik })).toEqual({ ok: true });
  });
});
