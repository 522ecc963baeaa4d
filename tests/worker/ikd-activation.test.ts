/** IKD verification, binding in both directions, approval with the activation email (sent once, PIN scrubbed), and activation links. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { SCRUBBED_BODY } from '../../worker/db/notifications';
import { DeliveryError } from '../../worker/notify/adapter';
import { deliverDue } from '../../worker/notify/deliver';
import type { Env } from '../../worker/env';
import { signToken } from '../../worker/keys';
import { ACTIVATION_AUDIENCE, ACTIVATION_TYP } from '../../worker/ikd/activation';
import { api, testIp } from './helpers/auth';
import {
  act,
  actOk,
  activationMail,
  addResident,
  bindByPhoneQr,
  caseRow,
  KOTA_JAMBI,
  newDevice,
  OWN_PIN,
  push,
  register,
  residentLogin,
  staff,
  VERIFIED,
} from './ikd-kit';

/** The worker's Env as the delivery code types it (tests bind ENVIRONMENT as a plain string). */
const workerEnv = env as unknown as Env;

type Problem = { code: string; attemptsLeft?: number; reason?: string };

const complete = (json: Record<string, unknown>) => api('/api/ikd/activation/complete', { method: 'POST', json, ip: testIp() });
const verifyPin = (json: Record<string, unknown>) => api('/api/ikd/activation/verify', { method: 'POST', json, ip: testIp() });

/** A resident's case at `bound` (phone QR scanned by the operator). */
async function boundCase() {
  const resident = await addResident();
  const reg = await register(resident);
  const op = await staff();
  await actOk(op, reg.case.id, 'verify', VERIFIED);
  const device = await newDevice();
  await bindByPhoneQr(reg, op, reg.case.id, device);
  return { resident, reg, op, device, caseId: reg.case.id };
}

async function approvedCase() {
  const b = await boundCase();
  await actOk(b.op, b.caseId, 'approve');
  return { ...b, mail: await activationMail(b.caseId) };
}

describe('counter route to an active IKD', () => {
  it('verify → bind (phone QR) → approve → email sent once and scrubbed → link + PIN → own PIN → signed in', async () => {
    const { resident, reg, op, device, caseId } = await boundCase();
    expect((await caseRow(caseId)).state).toBe('bound');
    const approved = await actOk(op, caseId, 'approve');
    expect(approved).toMatchObject({ state: 'approved', dueAt: expect.any(Number) });
    expect(approved.data.activationSentTo).toMatch(/^wa•+@example\.test$/);

    const mail = await activationMail(caseId);
    expect(mail.body).toContain(`http://localhost:8787/aktivasi#t=${mail.token}`);
    // The WhatsApp notice says "check your email" and carries no PIN or link.
    const wa = (await env.DB.prepare(`SELECT body FROM notifications WHERE case_id = ? AND channel = 'whatsapp'`).bind(caseId).all<{ body: string }>()).results;
    expect(wa.length).toBe(1);
    expect(wa[0]!.body).not.toContain(mail.pin);
    expect(wa[0]!.body).not.toContain(mail.token);

    // Delivery sends it once and wipes the body.
    const first = await deliverDue(workerEnv, Date.now());
    expect(first.sent).toBeGreaterThanOrEqual(2);
    const sent = await env.DB.prepare('SELECT status, body, attempts FROM notifications WHERE id = ?').bind(mail.id).first<{ status: string; body: string; attempts: number }>();
    expect(sent).toEqual({ status: 'sent', body: SCRUBBED_BODY, attempts: 1 });
    expect((await deliverDue(workerEnv, Date.now() + 60_000)).sent).toBe(0);
    const everything = JSON.stringify((await env.DB.prepare('SELECT * FROM notifications').all()).results);
    expect(everything).not.toContain(`PIN aktivasi: ${mail.pin}`);
    expect(everything).not.toContain(mail.token);

    // The link: check the activation PIN, then set one's own PIN.
    const check = await verifyPin({ token: mail.token, activationPin: mail.pin });
    expect(check.status).toBe(200);
    expect(await check.json()).toMatchObject({ caseId, attemptsLeft: 5 });
    const done = await complete({ token: mail.token, activationPin: mail.pin, pin: OWN_PIN });
    expect(done.status, await done.clone().text()).toBe(200);
    expect(((await done.json()) as { case: { state: string } }).case.state).toBe('active');
    expect(await env.DB.prepare('SELECT status, pin_hash IS NOT NULL AS has_pin FROM ikd_accounts WHERE nik = ?').bind(resident.nik).first()).toEqual({ status: 'active', has_pin: 1 });
    expect(await env.DB.prepare('SELECT status, pin_hash FROM activation_links WHERE case_id = ?').bind(caseId).first()).toEqual({ status: 'used', pin_hash: null });
    // The registration session ended with activation: only PIN + device open a session now.
    expect((await reg.fetch('/api/ikd/me')).status).toBe(401);

    // No PIN, token or nonce in the case, its steps or the audit log.
    const trail = JSON.stringify([
      (await env.DB.prepare('SELECT data_json FROM cases WHERE id = ?').bind(caseId).all()).results,
      (await env.DB.prepare('SELECT input_json FROM case_steps WHERE case_id = ?').bind(caseId).all()).results,
      (await env.DB.prepare('SELECT detail_json FROM audit_log').all()).results,
      (await env.DB.prepare('SELECT result_json FROM commands').all()).results,
    ]);
    for (const secret of [mail.pin, OWN_PIN, mail.token]) expect(trail).not.toContain(secret);

    const login = await residentLogin(resident.nik, device, OWN_PIN);
    expect(login.status, await login.clone().text()).toBe(200);
    expect(await login.json()).toMatchObject({ assurance: 'full', resident: { name: resident.name, officeCode: '63.09' } });
    expect(reg.case.id).toBe(caseId);
  });

  it('an approval replayed from the outbox (same command id) is applied once: one link, one email', async () => {
    const { op, caseId } = await boundCase();
    const { version } = await caseRow(caseId);
    const cmd = { id: uuid7(), type: 'action', caseId, action: 'approve', baseVersion: version, input: {} };
    const [a] = await push(op, [cmd]);
    const [b] = await push(op, [cmd]);
    expect(a!.status).toBe('applied');
    expect(b!.status).toBe('duplicate');
    expect((await env.DB.prepare('SELECT count(*) AS n FROM activation_links WHERE case_id = ?').bind(caseId).first())!.n).toBe(1);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM notifications WHERE case_id = ? AND scrub_after_send = 1').bind(caseId).first())!.n).toBe(1);
  });

  it('an email that goes dead is scrubbed too', async () => {
    const { mail } = await approvedCase();
    const refuse = async () => {
      throw new DeliveryError('email: refused', true);
    };
    await deliverDue(workerEnv, Date.now(), { senders: { email: refuse, whatsapp: refuse } });
    expect(await env.DB.prepare('SELECT status, body FROM notifications WHERE id = ?').bind(mail.id).first()).toEqual({ status: 'dead', body: SCRUBBED_BODY });
  });
});

describe('activation link', () => {
  it('is single use: a second completion answers activation_link_used', async () => {
    const { mail } = await approvedCase();
    expect((await complete({ token: mail.token, activationPin: mail.pin, pin: OWN_PIN })).status).toBe(200);
    const again = await complete({ token: mail.token, activationPin: mail.pin, pin: '593017' });
    expect(again.status).toBe(410);
    expect(((await again.json()) as Problem).code).toBe('activation_link_used');
    expect(((await (await verifyPin({ token: mail.token, activationPin: mail.pin })).json()) as Problem).code).toBe('activation_link_used');
  });

  it('expires: an expired token and an expired link row both answer activation_link_expired', async () => {
    const { mail } = await approvedCase();
    const row = await env.DB.prepare('SELECT jti, case_id FROM activation_links WHERE case_id = (SELECT case_id FROM notifications WHERE id = ?)').bind(mail.id).first<{ jti: string; case_id: string }>();
    const stale = await signToken(env, { typ: ACTIVATION_TYP, audience: ACTIVATION_AUDIENCE, ttlSeconds: 3600, subject: row!.case_id, jti: row!.jti }, {}, Date.now() - 2 * 3_600_000);
    const old = await complete({ token: stale, activationPin: mail.pin, pin: OWN_PIN });
    expect(old.status).toBe(410);
    expect(((await old.json()) as Problem).code).toBe('activation_link_expired');

    await env.DB.prepare('UPDATE activation_links SET expires_at = ? WHERE jti = ?').bind(Date.now() - 1, row!.jti).run();
    const res = await complete({ token: mail.token, activationPin: mail.pin, pin: OWN_PIN });
    expect(((await res.json()) as Problem).code).toBe('activation_link_expired');
    expect((await caseRow(row!.case_id)).state).toBe('approved');
  });

  it('refuses tokens that are not ours or not activation links with activation_link_invalid', async () => {
    const { mail } = await approvedCase();
    const [h, p, s] = mail.token.split('.');
    const tampered = `${h}.${p}.${s!.slice(0, -4)}AAAA`;
    const otherKind = await signToken(env, { typ: 'ktp+jwt', audience: ACTIVATION_AUDIENCE, ttlSeconds: 600, jti: 'x' });
    for (const token of [tampered, otherKind, 'not.a.token-at-all-000000']) {
      const res = await complete({ token, activationPin: mail.pin, pin: OWN_PIN });
      expect(((await res.json()) as Problem).code).toBe('activation_link_invalid');
    }
  });

  it('5 wrong activation PINs kill the link; the operator must reissue; the new link works and the old stays dead', async () => {
    const { mail, op, caseId } = await approvedCase();
    const wrong = mail.pin === '000000' ? '000001' : '000000';
    for (let left = 4; left >= 1; left--) {
      const res = await complete({ token: mail.token, activationPin: wrong, pin: OWN_PIN });
      expect(await res.json()).toMatchObject({ code: 'pin_wrong', attemptsLeft: left });
    }
    const fifth = await verifyPin({ token: mail.token, activationPin: wrong });
    expect(fifth.status).toBe(410);
    expect(((await fifth.json()) as Problem).code).toBe('activation_link_dead');
    const right = await complete({ token: mail.token, activationPin: mail.pin, pin: OWN_PIN });
    expect(((await right.json()) as Problem).code).toBe('activation_link_dead');
    expect(await env.DB.prepare('SELECT status, tries, pin_hash FROM activation_links WHERE case_id = ?').bind(caseId).first()).toEqual({ status: 'dead', tries: 5, pin_hash: null });

    await actOk(op, caseId, 'reissue_activation', { reason: 'link_dead' });
    const fresh = await activationMail(caseId);
    expect(fresh.token).not.toBe(mail.token);
    expect((await complete({ token: fresh.token, activationPin: fresh.pin, pin: OWN_PIN })).status).toBe(200);
    expect(((await (await complete({ token: mail.token, activationPin: mail.pin, pin: OWN_PIN })).json()) as Problem).code).toBe('activation_link_dead');
  });

  it('a reissued link replaces a live one (activation_link_revoked)', async () => {
    const { mail, op, caseId } = await approvedCase();
    await actOk(op, caseId, 'reissue_activation', { reason: 'email_not_received' });
    const res = await complete({ token: mail.token, activationPin: mail.pin, pin: OWN_PIN });
    expect(((await res.json()) as Problem).code).toBe('activation_link_revoked');
  });

  it('refuses weak own PINs (pin_weak with reason) without using up a try', async () => {
    const { mail, resident } = await approvedCase();
    const ddmmyy = `${resident.birthDate.slice(8, 10)}${resident.birthDate.slice(5, 7)}${resident.birthDate.slice(2, 4)}`;
    for (const [pin, reason] of [['123456', 'sequential'], ['111111', 'repeated'], ['121212', 'pattern'], [ddmmyy, 'birth_date'], [mail.pin, 'same_as_activation_pin']] as const) {
      const res = await complete({ token: mail.token, activationPin: mail.pin, pin });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ code: 'pin_weak', reason });
    }
    const check = await verifyPin({ token: mail.token, activationPin: mail.pin });
    expect(await check.json()).toMatchObject({ attemptsLeft: 5 });
  });

  it('an activate command pushed by a resident session without the link’s PIN is refused', async () => {
    const { mail, reg, caseId } = await approvedCase();
    const wrong = mail.pin === '999999' ? '999998' : '999999';
    const r = await act(reg, caseId, 'activate', { token: mail.token, activationPin: wrong, pin: OWN_PIN });
    expect(r).toMatchObject({ status: 'rejected', problem: { code: 'pin_wrong' } });
    expect((await caseRow(caseId)).state).toBe('approved');
  });
});

describe('device binding', () => {
  it('operator → phone: the phone scans LOKETB2, signs it with its key and is bound', async () => {
    const resident = await addResident();
    const reg = await register(resident);
    const op = await staff();
    await actOk(op, reg.case.id, 'verify', VERIFIED);
    const res = await op.fetch(`/api/ikd/cases/${reg.case.id}/binding-nonce`, { method: 'POST' });
    expect(res.status).toBe(200);
    const { qr } = (await res.json()) as { qr: string };
    expect(qr).toMatch(new RegExp(`^LOKETB2\\.${reg.case.id}\\.[A-Za-z0-9_-]{22}$`));

    const device = await newDevice();
    const other = await newDevice();
    // A signature by another key does not bind.
    const forged = await reg.fetch('/api/ikd/device/bind', { method: 'POST', json: { qr, publicJwk: device.jwk, signature: await other.sign(qr) } });
    expect(((await forged.json()) as Problem).code).toBe('device_signature_invalid');

    const bound = await reg.fetch('/api/ikd/device/bind', { method: 'POST', json: { qr, publicJwk: device.jwk, signature: await device.sign(qr) } });
    expect(bound.status, await bound.clone().text()).toBe(200);
    const body = (await bound.json()) as { case: { state: string; data: { thumbprint: string } } };
    expect(body.case.state).toBe('bound');
    const dev = await env.DB.prepare('SELECT status, public_jwk, thumbprint FROM devices WHERE nik = ?').bind(resident.nik).first<{ status: string; public_jwk: string; thumbprint: string }>();
    expect(dev!.status).toBe('bound');
    expect(JSON.parse(dev!.public_jwk)).toEqual({ kty: 'EC', crv: 'P-256', x: device.jwk.x, y: device.jwk.y });
    expect(body.case.data.thumbprint).toBe(dev!.thumbprint);
    expect(await env.DB.prepare('SELECT used_at IS NOT NULL AS used FROM binding_nonces WHERE case_id = ?').bind(reg.case.id).first()).toEqual({ used: 1 });
  });

  it('nonces are one-time and expire', async () => {
    const resident = await addResident();
    const reg = await register(resident);
    const op = await staff();
    await actOk(op, reg.case.id, 'verify', VERIFIED);
    const { qr } = (await (await op.fetch(`/api/ikd/cases/${reg.case.id}/binding-nonce`, { method: 'POST' })).json()) as { qr: string };
    await env.DB.prepare('UPDATE binding_nonces SET expires_at = ? WHERE case_id = ?').bind(Date.now() - 1, reg.case.id).run();
    const device = await newDevice();
    const late = await reg.fetch('/api/ikd/device/bind', { method: 'POST', json: { qr, publicJwk: device.jwk, signature: await device.sign(qr) } });
    expect(((await late.json()) as Problem).code).toBe('binding_nonce_expired');

    // Phone QR: a nonce of another case, a thumbprint that is not the registered key, then a used nonce.
    const keyRes = await reg.fetch('/api/ikd/device/key', { method: 'POST', json: { publicJwk: device.jwk } });
    const [, , nonce, thumbprint] = ((await keyRes.json()) as { qr: string }).qr.split('.');
    const otherCase = await register(await addResident());
    await actOk(op, otherCase.case.id, 'verify', VERIFIED);
    expect((await act(op, otherCase.case.id, 'bind_device', { direction: 'phone_qr', nonce, thumbprint })).problem?.code).toBe('binding_nonce_invalid');
    const stranger = await newDevice();
    const { calculateJwkThumbprint } = await import('jose');
    const strangerPrint = await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: stranger.jwk.x, y: stranger.jwk.y });
    expect((await act(op, reg.case.id, 'bind_device', { direction: 'phone_qr', nonce, thumbprint: strangerPrint })).problem?.code).toBe('binding_nonce_invalid');
    await actOk(op, reg.case.id, 'bind_device', { direction: 'phone_qr', nonce, thumbprint });
    await actOk(op, reg.case.id, 'reject', { reasonCode: 'other', message: 'Uji penolakan' });
    expect(await env.DB.prepare('SELECT status FROM devices WHERE thumbprint = ?').bind(thumbprint).first()).toEqual({ status: 'released' });
  });

  it('each side scans the other: a resident cannot push phone_qr, an operator cannot push operator_qr', async () => {
    const resident = await addResident();
    const reg = await register(resident);
    const op = await staff();
    await actOk(op, reg.case.id, 'verify', VERIFIED);
    const device = await newDevice();
    const r1 = await act(reg, reg.case.id, 'bind_device', { direction: 'phone_qr', nonce: 'AAAAAAAAAAAAAAAAAAAAAA', thumbprint: 'A'.repeat(43) });
    expect(r1.problem?.code).toBe('forbidden_role');
    const r2 = await act(op, reg.case.id, 'bind_device', { direction: 'operator_qr', nonce: 'AAAAAAAAAAAAAAAAAAAAAA', publicJwk: device.jwk, signature: 'A'.repeat(86) });
    expect(r2.problem?.code).toBe('forbidden_role');
  });

  it('a device key cannot be registered for two residents', async () => {
    const a = await register(await addResident());
    const b = await register(await addResident());
    const device = await newDevice();
    expect((await a.fetch('/api/ikd/device/key', { method: 'POST', json: { publicJwk: device.jwk } })).status).toBe(200);
    const res = await b.fetch('/api/ikd/device/key', { method: 'POST', json: { publicJwk: device.jwk } });
    expect(((await res.json()) as Problem).code).toBe('device_in_use');
    const bad = await b.fetch('/api/ikd/device/key', { method: 'POST', json: { publicJwk: { ...device.jwk, x: device.jwk.y.slice(0, 42) + 'A' } } });
    expect(((await bad.json()) as Problem).code).toBe('device_key_invalid');
  });
});

describe('object checks', () => {
  it('an operator of another office can neither act on the case nor make its binding QR', async () => {
    const reg = await register(await addResident());
    const jambi = await staff(['operator'], KOTA_JAMBI);
    expect((await act(jambi, reg.case.id, 'verify', VERIFIED)).problem?.code).toBe('forbidden_object');
    const own = await staff();
    await actOk(own, reg.case.id, 'verify', VERIFIED);
    const res = await jambi.fetch(`/api/ikd/cases/${reg.case.id}/binding-nonce`, { method: 'POST' });
    expect(((await res.json()) as Problem).code).toBe('forbidden_object');
    expect((await jambi.fetch(`/api/cases/${reg.case.id}`)).status).toBe(403);
  });

  it('a resident cannot approve, read or act on another resident’s case', async () => {
    const { reg: mine } = await boundCase();
    const other = await register(await addResident());
    expect((await act(mine, mine.case.id, 'approve')).problem?.code).toBe('forbidden_role');
    expect((await other.fetch(`/api/cases/${mine.case.id}`)).status).toBe(403);
    expect((await act(other, mine.case.id, 'reject', { reasonCode: 'other', message: 'bukan saya' })).problem?.code).toBe('forbidden_object');
    const op = await staff();
    const { qr } = await (async () => {
      const o = await register(await addResident());
      await actOk(op, o.case.id, 'verify', VERIFIED);
      return (await (await op.fetch(`/api/ikd/cases/${o.case.id}/binding-nonce`, { method: 'POST' })).json()) as { qr: string };
    })();
    const device = await newDevice();
    const res = await other.fetch('/api/ikd/device/bind', { method: 'POST', json: { qr, publicJwk: device.jwk, signature: await device.sign(qr) } });
    expect(((await res.json()) as Problem).code).toBe('forbidden_object');
  });
});
