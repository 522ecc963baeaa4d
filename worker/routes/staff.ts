/** Staff administration for an office's admin (`/api/staff`): list, create, change roles, disable, reset password. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { CreateStaffRequest, StaffListResponse, StaffResponse, UpdateStaffRequest, type StaffView } from '../../schema/contracts/auth';
import type { StaffRole } from '../../schema/roles';
import { type AuditEntry, withAudit } from '../audit';
import { hashPassword } from '../auth/password';
import { assertAcceptablePassword } from '../auth/password-policy';
import { clientIp } from '../auth/throttle';
import { jsonBody, newApi, ok, problems } from '../api';
import { revokeSubjectSessions } from '../db/sessions';
import { setWorkContact, workContactOf, workContactsOfOffice, type WorkContact } from '../db/staff-contacts';
import { findUserById, insertUser, isUsernameTaken, listUsersOfOffice, type StaffUser, updateUser } from '../db/users';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { requireRole, type Session } from '../middleware/session';

export const staffRoutes = newApi();

function staffView(u: StaffUser, work: WorkContact | undefined): StaffView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    officeCode: u.officeCode,
    roles: u.roles,
    disabled: u.disabled,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
    workEmail: work?.email ?? null,
    workWhatsapp: work?.phone ?? null,
  };
}

/** An admin acting as staff; admins manage only their own office (no cross-office super-admin yet). */
function requireStaffAdmin(c: Context<AppEnv>): Session {
  const s = requireRole(c, 'admin');
  if (s.subjectType !== 'staff') throw new ApiError('forbidden_role');
  return s;
}

/** Route middleware: runs before body validation, so a caller without the role learns 401/403, not the contract. */
const adminOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireStaffAdmin(c);
  await next();
};

function forbiddenOtherOffice(): ApiError {
  return new ApiError('forbidden_object', 'Akun ini milik kantor lain. / This account belongs to another office.');
}

const sameRoles = (a: readonly StaffRole[], b: readonly StaffRole[]) => a.length === b.length && a.every((r) => b.includes(r));

staffRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/staff',
    tags: ['staff'],
    middleware: [adminOnly],
    summary: 'Staff accounts of the admin’s office',
    responses: { 200: ok(StaffListResponse), ...problems(401, 403) },
  }),
  async (c) => {
    const s = requireStaffAdmin(c);
    const [users, contacts] = await Promise.all([listUsersOfOffice(c.env.DB, s.officeCode), workContactsOfOffice(c.env.DB, s.officeCode)]);
    return c.json({ staff: users.map((u) => staffView(u, contacts.get(u.id))) }, 200);
  },
);

staffRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/staff',
    tags: ['staff'],
    middleware: [adminOnly],
    summary: 'Create a staff account in the admin’s office',
    request: { body: jsonBody(CreateStaffRequest) },
    responses: { 201: ok(StaffResponse, 'Created'), ...problems(400, 401, 403, 409, 422) },
  }),
  async (c) => {
    const s = requireStaffAdmin(c);
    const body = c.req.valid('json');
    if (body.officeCode !== s.officeCode) throw forbiddenOtherOffice();
    assertAcceptablePassword(body.password, body.username);

    const db = c.env.DB;
    const now = new Date().toISOString();
    const user: StaffUser = {
      id: crypto.randomUUID(),
      username: body.username,
      displayName: body.displayName,
      officeCode: body.officeCode,
      roles: body.roles,
      passwordHash: await hashPassword(body.password, c.env.PEPPER),
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    const entry: AuditEntry = {
      actor: `staff:${s.subjectId}`,
      action: 'staff.create',
      object: `user:${user.id}`,
      ip: clientIp(c.req),
      detail: { username: user.username, officeCode: user.officeCode, roles: user.roles },
    };
    try {
      await withAudit(db, [entry], () => [insertUser(db, user)]);
    } catch (err) {
      if (isUsernameTaken(err)) throw new ApiError('username_taken', `Nama pengguna "${user.username}" sudah dipakai. / Username "${user.username}" is taken.`);
      throw err;
    }
    return c.json({ staff: staffView(user, undefined) }, 201);
  },
);

staffRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/api/staff/{id}',
    tags: ['staff'],
    middleware: [adminOnly],
    summary: 'Change a staff account: name, roles, disabled, work email or WhatsApp, or set a new password (ends their sessions)',
    request: { params: z.object({ id: z.string().min(1).max(64) }), body: jsonBody(UpdateStaffRequest) },
    responses: { 200: ok(StaffResponse), ...problems(400, 401, 403, 404, 409, 422) },
  }),
  async (c) => {
    const s = requireStaffAdmin(c);
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const db = c.env.DB;
    const target = await findUserById(db, id);
    if (!target) throw new ApiError('not_found', 'Akun tidak ditemukan. / No such account.');
    if (target.officeCode !== s.officeCode) throw forbiddenOtherOffice();

    const self = target.id === s.subjectId;
    // An office must not lose its admin by a slip of the admin's own hand.
    if (self && (body.disabled === true || (body.roles && !body.roles.includes('admin')))) {
      throw new ApiError('self_lockout', 'Anda tidak dapat menonaktifkan diri sendiri atau mencabut peran admin Anda. / You cannot disable yourself or drop your own admin role.');
    }
    if (body.password !== undefined) assertAcceptablePassword(body.password, target.username);

    const rolesChanged = body.roles !== undefined && !sameRoles(body.roles, target.roles);
    const disabling = body.disabled === true && !target.disabled;
    const passwordHash = body.password === undefined ? undefined : await hashPassword(body.password, c.env.PEPPER);
    // Sessions carry trust granted under the old roles/password; end them. A name change keeps them.
    const revoke = rolesChanged || disabling || passwordHash !== undefined;

    const now = Date.now();
    const updatedAt = new Date(now).toISOString();
    const entry: AuditEntry = {
      actor: `staff:${s.subjectId}`,
      action: 'staff.update',
      object: `user:${target.id}`,
      ip: clientIp(c.req),
      detail: {
        ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
        ...(body.roles !== undefined ? { roles: body.roles, previousRoles: target.roles } : {}),
        ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
        ...(passwordHash !== undefined ? { passwordReset: true } : {}),
        // Whether it was set or removed, not the address itself.
        ...(body.workEmail !== undefined ? { workEmail: body.workEmail === null ? 'removed' : 'set' } : {}),
        ...(body.workWhatsapp !== undefined ? { workWhatsapp: body.workWhatsapp === null ? 'removed' : 'set' } : {}),
        sessionsRevoked: revoke,
      },
    };
    await withAudit(db, [entry], () => [
      updateUser(db, target.id, { displayName: body.displayName, roles: body.roles, disabled: body.disabled, passwordHash }, updatedAt),
      ...(revoke ? [revokeSubjectSessions(db, 'staff', target.id, now, self ? s.tokenHash : undefined)] : []),
      ...(body.workEmail !== undefined || body.workWhatsapp !== undefined ? [setWorkContact(db, target.id, { email: body.workEmail, phone: body.workWhatsapp }, now)] : []),
    ]);
    const updated = await findUserById(db, target.id);
    if (!updated) throw new ApiError('not_found');
    return c.json({ staff: staffView(updated, await workContactOf(db, target.id)) }, 200);
  },
);
