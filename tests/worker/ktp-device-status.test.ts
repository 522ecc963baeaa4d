/**
 * POST /api/ktp/device-status in workerd with real D1: a phone learns that its own key is bound, then blocked by the
 * operator (with when), or released; only with a fresh challenge signed by that key; every answer names the server clock.
 */
import { describe, expect, it } from 'vitest';
import { api, testIp } from './helpers/auth';
import { type Device, activeResident, actOk, newDevice, thumbprint } from './ikd-kit';

async function askStatus(nik: string, device: Device, sign: Device = device): Promise<Response> {
  const ip = testIp();
  const ch = await api('/api/ikd/challenge', { method: 'POST', json: { nik, thumbprint: await thumbprint(device) }, ip });
  expect(ch.status).toBe(200);
  const { challengeId, challenge } = (await ch.json()) as { challengeId: string; challenge: string };
  const bytes = Uint8Array.from(atob(challenge.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (challenge.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return api('/api/ktp/device-status', { method: 'POST', json: { nik, challengeId, signature: await sign.sign(bytes) }, ip });
}

describe('own device status', () => {
  it('says bound, then blocked with the time of the block, and carries the server clock', async () => {
    const a = await activeResident();
    const before = Date.now();
    const bound = await askStatus(a.resident.nik, a.device);
    expect(bound.status, await bound.clone().text()).toBe(200);
    const b = (await bound.json()) as { status: string; changedAt: number | null; serverTime: number };
    expect(b.status).toBe('bound');
    expect(b.changedAt).toBeNull();
    expect(b.serverTime).toBeGreaterThanOrEqual(before);
    expect(Number(bound.headers.get('x-server-time'))).toBeGreaterThanOrEqual(before);

    await actOk(a.op, a.caseId, 'block_device', { reportedVia: 'phone', reason: 'Ponsel hilang di pasar' });
    const blocked = (await (await askStatus(a.resident.nik, a.device)).json()) as { status: string; changedAt: number | null };
    expect(blocked.status).toBe('blocked');
    expect(blocked.changedAt).toBeGreaterThanOrEqual(before);
  });

  it('says released after lepas perangkat', async () => {
    const a = await activeResident();
    const res = await a.session.fetch('/api/ikd/device/release', { method: 'POST', json: { pin: '480317' } });
    expect(res.status, await res.clone().text()).toBe(200);
    const released = (await (await askStatus(a.resident.nik, a.device)).json()) as { status: string; changedAt: number | null };
    expect(released.status).toBe('released');
    expect(released.changedAt).toBeGreaterThan(0);
  });

  it('refuses a signature by another key, and a challenge used twice', async () => {
    const a = await activeResident();
    const other = await newDevice();
    const forged = await askStatus(a.resident.nik, a.device, other);
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { code: string }).code).toBe('device_signature_invalid');

    const ip = testIp();
    const ch = await api('/api/ikd/challenge', { method: 'POST', json: { nik: a.resident.nik, thumbprint: await thumbprint(a.device) }, ip });
    const { challengeId, challenge } = (await ch.json()) as { challengeId: string; challenge: string };
    const bytes = Uint8Array.from(atob(challenge.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (challenge.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const body = { nik: a.resident.nik, challengeId, signature: await a.device.sign(bytes) };
    expect((await api('/api/ktp/device-status', { method: 'POST', json: body, ip })).status).toBe(200);
    const again = await api('/api/ktp/device-status', { method: 'POST', json: body, ip });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { code: string }).code).toBe('challenge_invalid');
  });

  it('answers not_bound for a key this NIK never bound', async () => {
    const a = await activeResident();
    const stranger = await newDevice();
    const res = await askStatus(a.resident.nik, stranger);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('not_bound');
  });
});
