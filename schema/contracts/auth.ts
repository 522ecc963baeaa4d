/** Contracts of staff sign-in, the signed-in user and staff administration, shared by the worker and the PWA. */
import { z } from 'zod';
import { STAFF_ROLES } from '../roles';

/** Password length limits (Unicode code points); the server also refuses common passwords and the username. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** 3–32 of a–z, 0–9, dot, underscore, hyphen; lower case only, so "Budi" and "budi" cannot both exist. */
export const Username = z
  .string()
  .regex(/^[a-z0-9._-]{3,32}$/, 'username: 3–32 characters of a-z, 0-9, ".", "_", "-" (nama pengguna: 3–32 karakter a-z, 0-9, ".", "_", "-")');

/**
 * A password as sent; the policy (length, common, equal to username) is checked by the server so it can answer
 * `weak_password` with a reason. The bound here only stops absurd bodies.
 */
const PasswordInput = z.string().min(1).max(1024);

export const StaffRoleSchema = z.enum(STAFF_ROLES);
export const StaffRoles = z
  .array(StaffRoleSchema)
  .min(1, 'at least one role (minimal satu peran)')
  .max(STAFF_ROLES.length)
  .refine((roles) => new Set(roles).size === roles.length, 'roles must not repeat (peran tidak boleh berulang)');

/** Office code as in offices.code: the Kemendagri code of the regency/city, dotted ("63.09"). */
export const OfficeCode = z.string().regex(/^\d{2}\.\d{2}$/, 'office code like "63.09"');

export const LoginRequest = z.strictObject({
  // Loose on purpose: any typed name is looked up (case-insensitively) and fails like a wrong password.
  username: z.string().min(1).max(64),
  password: PasswordInput,
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const ChangePasswordRequest = z.strictObject({
  currentPassword: PasswordInput,
  newPassword: PasswordInput,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** The signed-in staff member, as `/api/auth/login` and `/api/auth/me` return it. */
export const SessionUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  officeCode: z.string(),
  roles: z.array(StaffRoleSchema),
});
export type SessionUser = z.infer<typeof SessionUser>;
export const SessionUserResponse = z.object({ user: SessionUser });

/** A staff account as the admin screen lists it. */
export const StaffView = SessionUser.extend({
  disabled: z.boolean(),
  /** Work email for hand-over notices (complaints assigned to them); null: none. */
  workEmail: z.string().nullable(),
  /** Work WhatsApp number for the same notices; null: none. */
  workWhatsapp: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StaffView = z.infer<typeof StaffView>;
export const StaffListResponse = z.object({ staff: z.array(StaffView) });
export const StaffResponse = z.object({ staff: StaffView });

const DisplayName = z.string().trim().min(1).max(100);
/** A staff member's work address (issue 11: told when a complaint is handed to them). */
export const WorkEmail = z.email('email tidak valid (invalid email address)').max(254);
/** Their work WhatsApp: an Indonesian mobile number, as everywhere else in the app (08…, 62…, +62…). */
export const WorkWhatsapp = z.string().trim().regex(/^(\+62|62|0)8\d{7,12}$/, 'nomor WhatsApp tidak valid, mis. 081234567890 (invalid WhatsApp number, e.g. 081234567890)');

/** Fields an admin writes when creating an account; id and timestamps are the server's. */
export const CreateStaffRequest = z.strictObject({
  username: Username,
  displayName: DisplayName,
  password: PasswordInput,
  roles: StaffRoles,
  officeCode: OfficeCode,
});
export type CreateStaffRequest = z.infer<typeof CreateStaffRequest>;

/** Any subset; username and office never change (a move between offices is a new account). */
export const UpdateStaffRequest = z
  .strictObject({
    displayName: DisplayName.optional(),
    roles: StaffRoles.optional(),
    disabled: z.boolean().optional(),
    password: PasswordInput.optional(),
    /** null removes it. */
    workEmail: WorkEmail.nullable().optional(),
    /** null removes it. */
    workWhatsapp: WorkWhatsapp.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'nothing to change (tidak ada yang diubah)');
export type UpdateStaffRequest = z.infer<typeof UpdateStaffRequest>;

/** Why a password was refused, for the PWA to explain in the user's language (problem `weak_password`, `reason`). */
export const WEAK_PASSWORD_REASONS = ['too_short', 'too_long', 'same_as_username', 'common', 'repeated', 'unchanged'] as const;
export type WeakPasswordReason = (typeof WEAK_PASSWORD_REASONS)[number];
