/** Request/response contracts of the birth-certificate routes (partners, required documents, attachments, signing, verification). */
import { z } from 'zod';

export const PartnerKind = z.enum(['hospital', 'clinic', 'midwife']);
export const Partner = z.object({ id: z.string(), kind: PartnerKind, name: z.string(), active: z.boolean(), clerks: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string() })) });
export type Partner = z.infer<typeof Partner>;
export const CreatePartnerRequest = z.strictObject({ kind: PartnerKind, name: z.string().trim().min(3).max(120) });
export const UpdatePartnerRequest = z.strictObject({ kind: PartnerKind.optional(), name: z.string().trim().min(3).max(120).optional(), active: z.boolean().optional() });
export const ClerkRequest = z.strictObject({ userId: z.string().min(1).max(64), partnerId: z.string().min(1).max(64).nullable() });

export const Requirement = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
  label: z.object({ id: z.string().trim().min(3).max(200), en: z.string().trim().min(3).max(200) }),
  required: z.boolean(),
});
export type Requirement = z.infer<typeof Requirement>;
export const RequirementsBody = z.strictObject({ requirements: z.array(Requirement).min(1).max(30) });

export const SignRequest = z.strictObject({
  password: z.string().min(1).max(200),
  cases: z.array(z.strictObject({ id: z.string().max(64), version: z.number().int().min(1) })).min(1).max(50),
});
