import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, createStaff, KOTA_JAMBI, signIn, TABALONG, testIp } from './helpers/auth';

interface StaffView {
  id: string;
  username: string;
  displayName: string;
  officeCode: string;
  roles: string[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

async function adminOf(officeCode = TABALONG) {
  const admin = await createStaff({ roles: ['admin'], officeCode });
  return { admin, as: await signIn(admin.username, admin.password) };
}

const newStaff = (over: Record<string, unknown> = {}) => ({
  username: `fo.${crypto.randomUUID().slice(0, 8)}`,
  displayName: 'Rina Loket',
  password: 'Gado-Gado-Tabalong-9',
  roles: ['front_office'],
  officeCode: TABALONG,
  ...over,
});

describe('GET /api/staff', () => {
  it('lists the accounts of the admin’s own office only, without password hashes', async () => {
    const { admin, as } = await adminOf();
    const mine = await createStaff({ officeCode: TABALONG });
    const theirs = await createStaff({ officeCode: KOTA_JAMBI });
    const res = await as.fetch('/api/staff');
    expect(res.status).toBe(200);
    const { staff } = (await res.json()) as { staff: StaffView[] };
    const ids = staff.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining([admin.id, mine.id]));
    expect(ids).not.toContain(theirs.id);
    expect(staff.every((s) => s.officeCode === TABALONG)).toBe(true);
    expect(JSON.stringify(staff)).not.toContain('pbkdf2');
  });

  it('needs a session (401) and the admin role (403 forbidden_role)', async () => {
    expect(await (await api('/api/staff')).json()).toMatchObject({ status: 401, code: 'unauthenticated' });
    const fo = await createStaff({ roles: ['front_office', 'verifier', 'head_of_office'] });
    const as = await signIn(fo.username, fo.password);
    const res = await as.fetch('/api/staff');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'forbidden_role' });
    expect(await (await as.fetch('/api/staff', { method: 'POST', json: newStaff() })).json()).toMatchObject({ code: 'forbidden_role' });
    expect(await (await as.fetch(`/api/staff/${fo.id}`, { method: 'PATCH', json: { displayName: 'X' } })).json()).toMatchObject({ code: 'forbidden_role' });
    // The role is checked before the body, so callers without it learn nothing about the contract.
    expect(await (await as.fetch('/api/staff', { method: 'POST', json: { nonsense: 1 } })).json()).toMatchObject({ code: 'forbidden_role' });
    expect(await (await api('/api/staff', { method: 'POST', json: { nonsense: 1 } })).json()).toMatchObject({ code: 'unauthenticated' });
  });
});

describe('POST /api/staff', () => {
  it('creates an account that can sign in, and audits it without the password', async () => {
    const { admin, as } = await adminOf();
    const body = newStaff({ roles: ['front_office', 'operator'] });
    const res = await as.fetch('/api/staff', { method: 'POST', json: body });
    expect(res.status).toBe(201);
    const { staff } = (await res.json()) as { staff: StaffView };
    expect(staff).toMatchObject({ username: body.username, displayName: 'Rina Loket', officeCode: TABALONG, roles: ['front_office', 'operator'], disabled: false });
    const stored = await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?').bind(staff.id).first<{ password_hash: string }>();
    expect(stored!.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);

    const newcomer = await signIn(body.username, body.password);
    expect(newcomer.user).toEqual({ id: staff.id, username: body.username, displayName: 'Rina Loket', officeCode: TABALONG, roles: ['front_office', 'operator'] });

    const audit = await env.DB.prepare("SELECT actor, object, detail_json FROM audit_log WHERE action = 'staff.create' AND object = ?").bind(`user:${staff.id}`).first<{ actor: string; detail_json: string }>();
    expect(audit).toMatchObject({ actor: `staff:${admin.id}` });
    expect(audit!.detail_json).not.toContain(body.password);
  });

  it('refuses a taken username with 409 username_taken', async () => {
    const { as } = await adminOf();
    const existing = await createStaff();
    const res = await as.fetch('/api/staff', { method: 'POST', json: newStaff({ username: existing.username }) });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'username_taken' });
  });

  it('refuses an account for another office with 403 forbidden_object', async () => {
    const { as } = await adminOf(TABALONG);
    const res = await as.fetch('/api/staff', { method: 'POST', json: newStaff({ officeCode: KOTA_JAMBI }) });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'forbidden_object' });
  });

  it('refuses weak passwords with 422 weak_password and a reason', async () => {
    const { as } = await adminOf();
    const cases: [Record<string, unknown>, string][] = [
      [{ password: 'Pendek1' }, 'too_short'],
      [{ password: 'qwertyuiop' }, 'common'],
      [{ password: 'Password1' }, 'common'],
      [{ username: 'rina.loket', password: 'Rina.Loket' }, 'same_as_username'],
    ];
    for (const [over, reason] of cases) {
      const res = await as.fetch('/api/staff', { method: 'POST', json: newStaff(over) });
      expect(res.status).toBe(422);
      const problem = (await res.json()) as { code: string; reason: string; detail: string };
      expect(problem).toMatchObject({ code: 'weak_password', reason });
      expect(problem.detail).toMatch(/Kata sandi .* \/ /);
    }
  });

  it('validates the contract: roles from STAFF_ROLES, at least one, username shape, no unknown fields, types', async () => {
    const { as } = await adminOf();
    const bad: Record<string, unknown>[] = [
      newStaff({ roles: [] }),
      newStaff({ roles: ['superuser'] }),
      newStaff({ roles: ['resident'] }),
      newStaff({ username: 'ab' }),
      newStaff({ username: 'Budi' }),
      newStaff({ username: 'budi santoso' }),
      newStaff({ username: 'x'.repeat(33) }),
      newStaff({ isAdmin: true }),
      newStaff({ roles: 'admin' }),
      newStaff({ displayName: 42 }),
    ];
    for (const body of bad) {
      const res = await as.fetch('/api/staff', { method: 'POST', json: body });
      expect({ body, status: res.status }).toEqual({ body, status: 422 });
      expect(await res.json()).toMatchObject({ code: 'validation_failed' });
    }
    const broken = await as.fetch('/api/staff', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": "x",' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: 'bad_json' });
  });
});

describe('PATCH /api/staff/:id', () => {
  it('renames without ending sessions, and changing roles ends them', async () => {
    const { as } = await adminOf();
    const fo = await createStaff();
    const tablet = await signIn(fo.username, fo.password);

    const renamed = await as.fetch(`/api/staff/${fo.id}`, { method: 'PATCH', json: { displayName: 'Rina S.' } });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as { staff: StaffView }).staff.displayName).toBe('Rina S.');
    expect(await (await tablet.fetch('/api/auth/me')).json()).toMatchObject({ user: { displayName: 'Rina S.' } });

    const promoted = await as.fetch(`/api/staff/${fo.id}`, { method: 'PATCH', json: { roles: ['front_office', 'verifier'] } });
    expect(((await promoted.json()) as { staff: StaffView }).staff.roles).toEqual(['front_office', 'verifier']);
    expect(await (await tablet.fetch('/api/auth/me')).json()).toMatchObject({ code: 'session_expired' });
    expect((await signIn(fo.username, fo.password)).user.roles).toEqual(['front_office', 'verifier']);

    const audit = await env.DB.prepare("SELECT detail_json FROM audit_log WHERE action = 'staff.update' AND object = ? ORDER BY seq").bind(`user:${fo.id}`).all<{ detail_json: string }>();
    expect(audit.results.map((r) => JSON.parse(r.detail_json))).toEqual([
      { displayName: 'Rina S.', sessionsRevoked: false },
      { roles: ['front_office', 'verifier'], previousRoles: ['front_office'], sessionsRevoked: true },
    ]);
  });

  it('sets a new password: the old one stops working, sessions end, and the policy applies', async () => {
    const { as } = await adminOf();
    const fo = await createStaff();
    const tablet = await signIn(fo.username, fo.password);
    const weak = await as.fetch(`/api/staff/${fo.id}`, { method: 'PATCH', json: { password: fo.username } });
    expect(await weak.json()).toMatchObject({ status: 422, code: 'weak_password', reason: 'same_as_username' });

    const res = await as.fetch(`/api/staff/${fo.id}`, { method: 'PATCH', json: { password: 'Rendang-Baru-2026' } });
    expect(res.status).toBe(200);
    expect(await (await tablet.fetch('/api/auth/me')).json()).toMatchObject({ code: 'session_expired' });
    const old = await api('/api/auth/login', { method: 'POST', json: { username: fo.username, password: fo.password }, ip: testIp() });
    expect(old.status).toBe(401);
    await signIn(fo.username, 'Rendang-Baru-2026');
  });

  it('re-enabling a disabled account lets it sign in again', async () => {
    const { as } = await adminOf();
    const fo = await createStaff({ disabled: true });
    const res = await as.fetch(`/api/staff/${fo.id}`, { method: 'PATCH', json: { disabled: false } });
    expect(((await res.json()) as { staff: StaffView }).staff.disabled).toBe(false);
    await signIn(fo.username, fo.password);
  });

  it('answers 403 forbidden_object for another office’s account and 404 for an unknown one', async () => {
    const { as } = await adminOf(TABALONG);
    const theirs = await createStaff({ officeCode: KOTA_JAMBI });
    const other = await as.fetch(`/api/staff/${theirs.id}`, { method: 'PATCH', json: { disabled: true } });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ code: 'forbidden_object' });
    expect((await env.DB.prepare('SELECT disabled FROM users WHERE id = ?').bind(theirs.id).first())!.disabled).toBe(0);
    const unknown = await as.fetch(`/api/staff/${crypto.randomUUID()}`, { method: 'PATCH', json: { disabled: true } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'not_found' });
  });

  it('keeps an admin from disabling themselves or dropping their own admin role, but lets them add roles', async () => {
    const { admin, as } = await adminOf();
    const otherDevice = await signIn(admin.username, admin.password);
    for (const json of [{ disabled: true }, { roles: ['operator'] }]) {
      const res = await as.fetch(`/api/staff/${admin.id}`, { method: 'PATCH', json });
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ code: 'self_lockout' });
    }
    const res = await as.fetch(`/api/staff/${admin.id}`, { method: 'PATCH', json: { roles: ['admin', 'operator'] } });
    expect(res.status).toBe(200);
    // Their own session survives their own role change; their other devices do not keep the old roles.
    expect(await (await as.fetch('/api/auth/me')).json()).toMatchObject({ user: { roles: ['admin', 'operator'] } });
    expect(await (await otherDevice.fetch('/api/auth/me')).json()).toMatchObject({ code: 'session_expired' });
  });

  it('validates the patch body', async () => {
    const { as } = await adminOf();
    const fo = await createStaff();
    for (const json of [{}, { roles: [] }, { disabled: 'yes' }, { username: 'baru' }, { officeCode: KOTA_JAMBI }]) {
      const res = await as.fetch(`/api/staff/${fo.id}`, { method: 'PATCH', json });
      expect({ json, status: res.status }).toEqual({ json, status: 422 });
    }
  });
});
