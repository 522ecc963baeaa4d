// IKD rules: eligibility on the office's date, the PIN policy, the binding QR payloads, and the IKD SOP table.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  birthDatePins,
  checkPin,
  eligibility,
  officeToday,
  operatorBindingQr,
  parseBindingQr,
  phoneBindingQr,
} from '../../schema/ikd-rules';
import { localToMs } from '../../schema/service-time';
import { availableActions, transition } from '../../schema/workflows';
import { ikd } from '../../schema/workflows/ikd';

describe('ageOn', () => {
  it.each([
    ['2009-11-23', '2026-11-23', 17, 'turns 17 today'],
    ['2009-11-24', '2026-11-23', 16, 'turns 17 tomorrow'],
    ['2009-11-22', '2026-11-23', 17, 'turned 17 yesterday'],
    ['2009-12-01', '2026-11-30', 16, 'later month'],
    ['2008-02-29', '2025-02-28', 16, '29 Feb birthday not reached on 28 Feb of a common year'],
    ['2008-02-29', '2025-03-01', 17, '29 Feb birthday reached on 1 March'],
    ['2008-02-29', '2024-02-29', 16, 'leap day in a leap year: 16th birthday'],
  ])('%s on %s → %i (%s)', (birth, today, age) => {
    expect(ageOn(birth, today)).toBe(age);
  });
});

describe('eligibility (seed 003: 17+ or married, e-KTP recorded)', () => {
  const today = '2026-11-23';
  it('turns 17 today: eligible', () => {
    expect(eligibility({ birthDate: '2009-11-23', maritalStatus: 'BELUM_KAWIN', ektpRecorded: true }, today)).toEqual({ eligible: true });
  });
  it('turns 17 tomorrow: under_17', () => {
    expect(eligibility({ birthDate: '2009-11-24', maritalStatus: 'BELUM_KAWIN', ektpRecorded: true }, today)).toEqual({ eligible: false, reasons: ['under_17'] });
  });
  it.each(['KAWIN', 'CERAI_HIDUP', 'CERAI_MATI'] as const)('married at 16 (%s): eligible', (status) => {
    expect(eligibility({ birthDate: '2010-05-01', maritalStatus: status, ektpRecorded: true }, today)).toEqual({ eligible: true });
  });
  it('e-KTP not recorded: ektp_not_recorded even when 40', () => {
    expect(eligibility({ birthDate: '1986-01-01', maritalStatus: 'KAWIN', ektpRecorded: false }, today)).toEqual({ eligible: false, reasons: ['ektp_not_recorded'] });
  });
  it('both reasons, age first', () => {
    expect(eligibility({ birthDate: '2012-01-01', maritalStatus: 'BELUM_KAWIN', ektpRecorded: false }, today)).toEqual({ eligible: false, reasons: ['under_17', 'ektp_not_recorded'] });
  });
  it('the office date decides: 23:30 UTC is already the next day in WITA', () => {
    const utcEvening = Date.parse('2026-11-22T23:30:00Z');
    expect(officeToday('Asia/Makassar', utcEvening)).toBe('2026-11-23');
    expect(officeToday('Asia/Jakarta', localToMs('Asia/Jakarta', '2026-11-22T23:59'))).toBe('2026-11-22');
  });
});

describe('checkPin', () => {
  const who = { birthDate: '2000-01-31', nik: '6309017101000001', phone: '0812-3434-7890' };
  it.each([
    ['12345', 'not_6_digits'],
    ['12345a', 'not_6_digits'],
    ['1234567', 'not_6_digits'],
    ['111111', 'repeated'],
    ['000000', 'repeated'],
    ['123456', 'sequential'],
    ['654321', 'sequential'],
    ['345678', 'sequential'],
    ['121212', 'pattern'],
    ['112233', 'pattern'],
    ['123123', 'pattern'],
    ['123321', 'pattern'],
    ['111222', 'pattern'],
    ['520520', 'pattern'],
    ['159753', 'common'],
    ['147258', 'common'],
    ['310100', 'birth_date'], // DDMMYY
    ['000131', 'birth_date'], // YYMMDD
    ['013100', 'birth_date'], // MMDDYY
    ['200001', 'birth_date'], // YYYYMM
    ['012000', 'birth_date'], // MMYYYY
    ['310120', 'birth_date'], // DDMMYYYY, first six
    ['710100', 'birth_date'], // the NIK's date field (woman: day + 40)
    ['000001', 'personal_data'], // NIK's last six
    ['567890', 'sequential'],
    ['347890', 'personal_data'], // phone's last six
  ])('%s → %s', (pin, reason) => {
    expect(checkPin(pin, who)).toMatchObject({ ok: false, reason });
  });

  it('accepts an ordinary PIN and refuses it as the activation PIN or the unchanged one', () => {
    expect(checkPin('480317', who)).toEqual({ ok: true });
    expect(checkPin('480317', { ...who, activationPin: '480317' })).toMatchObject({ ok: false, reason: 'same_as_activation_pin' });
    expect(checkPin('480317', { ...who, currentPin: '480317' })).toMatchObject({ ok: false, reason: 'unchanged' });
  });

  it('every refusal has a message in both languages', () => {
    const r = checkPin('111111', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message.id && r.message.en).toBeTruthy();
  });

  it('birthDatePins lists the six forms', () => {
    expect([...birthDatePins('1995-07-04')].sort()).toEqual(['040719', '040795', '070495', '071995', '199507', '950704'].sort());
  });

  it('property: any refused PIN is refused for a stable reason; accepted PINs are 6 digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{6}$/), (pin) => {
        const r = checkPin(pin, who);
        if (r.ok) expect(pin).toMatch(/^\d{6}$/);
        else expect(r.reason).not.toBe('not_6_digits');
      }),
    );
  });
});

describe('binding QR payloads', () => {
  const caseId = '0190f3a2-1b2c-7d3e-8f40-123456789abc';
  const nonce = 'AbCdEfGhIjKlMnOpQrStUv';
  const thumbprint = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

  it('round-trips both directions', () => {
    expect(parseBindingQr(phoneBindingQr({ caseId, nonce, thumbprint }))).toEqual({ kind: 'phone', caseId, nonce, thumbprint });
    expect(parseBindingQr(operatorBindingQr({ caseId, nonce }))).toEqual({ kind: 'operator', caseId, nonce });
  });

  it('stays short enough for a small QR code (byte mode, version ≤ 10 at level M holds 213 bytes)', () => {
    expect(phoneBindingQr({ caseId, nonce, thumbprint }).length).toBeLessThanOrEqual(213);
  });

  it.each([
    ['', 'empty'],
    ['https://example.com', 'a web link'],
    [`LOKETB3.${caseId}.${nonce}`, 'unknown tag'],
    [`LOKETB2.${caseId}.${nonce}.${thumbprint}`, 'operator QR with a thumbprint'],
    [`LOKETB1.${caseId}.${nonce}`, 'phone QR without thumbprint'],
    [`LOKETB2.not-a-uuid.${nonce}`, 'bad case id'],
    [`LOKETB2.${caseId}.short`, 'short nonce'],
    [`LOKETB2.${caseId}.${nonce}+/`, 'not base64url'],
  ])('refuses %j (%s)', (text) => {
    expect(parseBindingQr(text)).toBeNull();
  });
});

describe('IKD SOP table', () => {
  it('registration is the resident’s, verification and approval the operator’s', () => {
    expect(availableActions(ikd, null, ['resident'])).toEqual(['register']);
    expect(availableActions(ikd, 'registered', ['operator'])).toEqual(['verify', 'reject']);
    expect(availableActions(ikd, 'verified', ['resident'])).toEqual(['bind_device']);
    expect(availableActions(ikd, 'bound', ['operator'])).toEqual(['approve', 'reject', 'block_device']);
    expect(availableActions(ikd, 'active', ['resident'])).toEqual(['release_device']);
    expect(availableActions(ikd, 'active', ['operator'])).toEqual(['reissue_activation', 'block_device']);
    expect(availableActions(ikd, 'released', ['operator', 'resident'])).toEqual([]);
  });

  it('verification needs all three attestations', () => {
    expect(transition(ikd, 'registered', 'verify', ['operator'], { documentsSeen: true, dataMatches: true, faceMatches: false, channel: 'counter' })).toMatchObject({ ok: false, code: 'validation_failed' });
    expect(transition(ikd, 'registered', 'verify', ['operator'], { documentsSeen: true, dataMatches: true, faceMatches: true, channel: 'counter' })).toMatchObject({ ok: true, to: 'verified' });
  });

  it('registration input refuses unknown fields (the maiden name never enters the case)', () => {
    const input = { nik: '6309014101000001', kkNumber: '6309010101200001', email: 'a@b.id', phone: '081234567890', route: 'video', motherMaidenName: 'X' };
    expect(transition(ikd, null, 'register', ['resident'], input)).toMatchObject({ ok: false, code: 'validation_failed' });
  });

  it('standard times follow seed 003 (5 + 5 + 10 minutes)', () => {
    expect([ikd.states.verified.standardMinutes, ikd.states.bound.standardMinutes, ikd.states.approved.standardMinutes]).toEqual([5, 5, 10]);
  });
});
