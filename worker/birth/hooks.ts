/**
 * What the birth SOP actions do beyond the state change (worker/hooks.ts): the partner check on every action, the
 * 60-day and possible-duplicate flags, the registry check of the parents' NIKs, declared attachments, completeness,
 * per-document return reasons to the parent, the register number assigned inside the signing batch, revocation.
 */
import { isFutureBirth, isLateBirth, daysSinceBirth, normalizeName, registerNumber, similarChildNames } from '../../schema/birth-rules';
import { officeToday } from '../../schema/ikd-rules';
import type { TimeZone } from '../../schema/service-time';
import type { AttachmentRef, BirthSubmitInput, Child } from '../../schema/workflows/birth';
import * as bdb from '../db/birth';
import type { CaseRow } from '../db/cases';
import { findOffice } from '../db/offices';
import { ApiError } from '../errors';
import type { ActionHook, ConstraintProblem, HookArgs } from '../hooks';
import { notificationStatementIf } from '../notify/outbox';
import { partnerMayAccess } from './access';
import { sha256Hex } from './hash';
import { requireSignGrant } from '../documents/sign-grant';

type Data = Record<string, unknown> & { partnerId?: string; attachments?: AttachmentRef[]; child?: Child; reporter?: BirthSubmitInput['reporter'] };
const dataOf = (row: CaseRow | null): Data => (row ? (JSON.parse(row.data_json) as Data) : {});

/** The engine's office check runs first; this adds the partner's (a clerk acts on its own organisation's cases only). */
function checkPartner(args: HookArgs): void {
  if (args.previous && !partnerMayAccess(args.ctx.session, args.previous)) throw new ApiError('forbidden_object', 'Another partner submitted this case');
}

async function officeDay(args: HookArgs): Promise<string> {
  const office = await findOffice(args.ctx.db, args.next.office_code);
  if (!office) throw new ApiError('not_found', 'Office not found');
  return officeToday(office.time_zone as TimeZone, args.ctx.now);
}

/** Flags for the office (never a refusal): late report, possible duplicate, parents' NIKs against the registry, missing documents. */
async function flagsFor(args: HookArgs, d: { child: Child; mother: { nik: string; name: string }; father?: { nik: string; name: string }; attachments: AttachmentRef[] }, today: string) {
  const { ctx, next } = args;
  const [others, requirements, mother, father] = await Promise.all([
    bdb.sameMotherAndDate(ctx.db, next.office_code, d.mother.nik, d.child.birthDate, next.id),
    bdb.listRequirements(ctx.db, next.office_code),
    ctx.registry.findResident(d.mother.nik),
    d.father ? ctx.registry.findResident(d.father.nik) : Promise.resolve(undefined),
  ]);
  const duplicates = others.filter((o) => similarChildNames((JSON.parse(o.data_json) as Data).child?.name ?? '', d.child.name)).map((o) => o.id);
  const have = new Set(d.attachments.map((a) => a.requirement));
  const flags = {
    late: isLateBirth(d.child.birthDate, today),
    daysSinceBirth: daysSinceBirth(d.child.birthDate, today),
    motherInRegistry: Boolean(mother),
    fatherInRegistry: d.father ? Boolean(father) : null,
    missingRequirements: requirements.filter((r) => r.required === 1 && !have.has(r.code)).map((r) => r.code),
  };
  return { flags, duplicates };
}

/**
 * Links this case and the ones it resembles (the flag is on both, in birth_duplicates): those the search above
 * found, and, inside the engine's batch, every similar case that committed after that search (two clerks pushing
 * at the same instant; worker/db/birth.ts linkSimilarIf). On a resubmit, links that no longer match are dropped.
 * The ids never go into the case data: a clerk sees only that a duplicate is suspected (case view), office staff
 * read the links (GET /api/birth/cases/{id}/duplicates).
 */
function duplicateStatements(args: HookArgs, d: { child: Child; mother: { nik: string } }, found: string[]): D1PreparedStatement[] {
  const nameKey = normalizeName(d.child.name);
  const key = { nameKey, words: nameKey ? nameKey.split(' ') : [] };
  const c = { caseId: args.next.id, key, motherNik: d.mother.nik, birthDate: d.child.birthDate, officeCode: args.next.office_code };
  return bdb.linkSimilarIf(args.ctx.db, args.guard, c, found, args.previous !== null, args.ctx.now);
}

function checkAttachmentIds(refs: AttachmentRef[]): void {
  if (new Set(refs.map((r) => r.id)).size !== refs.length) throw new ApiError('validation_failed', 'attachments: the same id twice');
}

const submit: ActionHook = async (args) => {
  const { ctx, next, guard } = args;
  const input = args.input as unknown as BirthSubmitInput;
  const partnerId = ctx.session.partnerId;
  if (!partnerId) throw new ApiError('forbidden_object', 'Only a clerk of a partner organisation submits births');
  const partner = await bdb.getPartner(ctx.db, partnerId);
  if (!partner || !partner.active || partner.office_code !== next.office_code) throw new ApiError('forbidden_object', 'Partner organisation inactive or of another office');
  checkAttachmentIds(input.attachments);
  const today = await officeDay(args);
  if (isFutureBirth(input.child.birthDate, today)) throw new ApiError('validation_failed', 'child.birthDate: tanggal lahir di masa depan / birth date in the future');
  const { flags, duplicates } = await flagsFor(args, { ...input, attachments: input.attachments }, today);
  return {
    statements: [
      ...(input.attachments.length ? [bdb.insertAttachmentsIf(ctx.db, guard, partnerId, next.version, input.attachments)] : []),
      ...duplicateStatements(args, input, duplicates),
    ],
    data: { partnerId, partnerName: partner.name, flags },
  };
};

const resubmit: ActionHook = async (args) => {
  checkPartner(args);
  const { ctx, next, guard, previous } = args;
  const input = args.input as { attachments: AttachmentRef[]; child?: Child };
  checkAttachmentIds(input.attachments);
  const before = dataOf(previous);
  const attachments = [...(before.attachments ?? []), ...input.attachments];
  checkAttachmentIds(attachments);
  const child = input.child ?? before.child!;
  const today = await officeDay(args);
  if (isFutureBirth(child.birthDate, today)) throw new ApiError('validation_failed', 'child.birthDate: tanggal lahir di masa depan / birth date in the future');
  const mother = before.mother as { nik: string; name: string };
  const { flags, duplicates } = await flagsFor(args, { child, mother, father: before.father as { nik: string; name: string } | undefined, attachments }, today);
  return {
    statements: [
      ...(input.attachments.length ? [bdb.insertAttachmentsIf(ctx.db, guard, before.partnerId!, next.version, input.attachments)] : []),
      ...duplicateStatements(args, { child, mother }, duplicates),
    ],
    data: { attachments, child, flags, returned: null },
  };
};

/** Completeness (seed 002 step 3): every declared file has arrived and every required document is there. */
const accept: ActionHook = async (args) => {
  const rows = await bdb.listAttachments(args.ctx.db, args.next.id);
  const pending = rows.filter((r) => r.uploaded_at === null).map((r) => r.id);
  if (pending.length) throw new ApiError('birth_attachments_pending', `${pending.length} berkas belum terunggah / files not uploaded yet`, { attachments: pending });
  const missing = (dataOf(args.previous) as { flags?: { missingRequirements?: string[] } }).flags?.missingRequirements ?? [];
  if (missing.length) throw new ApiError('birth_requirements_missing', `Persyaratan belum lengkap / missing: ${missing.join(', ')}`, { requirements: missing });
};

/** Return with a reason per document, to the partner (its queue) and the parent (WhatsApp/email). */
const returnIncomplete: ActionHook = async (args) => {
  const { ctx, next, guard } = args;
  const input = args.input as { reasons: { requirement: string; reason: string }[]; note?: string };
  const d = dataOf(args.previous);
  const lines = input.reasons.map((r) => `- ${r.requirement}: ${r.reason}`).join('\n');
  const body = `Berkas akta kelahiran ${d.child?.name ?? ''} dikembalikan ke ${String(d.partnerName ?? 'mitra')} untuk dilengkapi:\n${lines}${input.note ? `\n${input.note}` : ''}`;
  const subject = 'Berkas akta kelahiran perlu dilengkapi';
  const statements = [notificationStatementIf(ctx.db, { channel: 'whatsapp', recipient: d.reporter!.phone, subject, body, caseId: next.id }, ctx.now, guard)];
  if (d.reporter?.email) statements.push(notificationStatementIf(ctx.db, { channel: 'email', recipient: d.reporter.email, subject, body, caseId: next.id }, ctx.now, guard));
  return { statements, data: { returned: { reasons: input.reasons, note: input.note ?? null, at: ctx.now } } };
};

/** Grants come from POST /api/birth/sign after the password was re-entered; only their hash is stored. */
const sign: ActionHook = async (args) => {
  const { ctx, next, guard } = args;
  await requireSignGrant(args, 'POST /api/birth/sign');
  const day = await officeDay(args);
  const prefix = registerNumber(next.office_code, day, 0).replace(/-\d+$/, '');
  return {
    statements: [
      bdb.nextRegisterIf(ctx.db, guard, next.office_code, day),
      bdb.insertCertificateIf(ctx.db, guard, { prefix, officeCode: next.office_code, day, caseVersion: next.version, signedAt: ctx.now, signedBy: `staff:${ctx.session.subjectId}` }),
    ],
    recordedInput: {},
  };
};

const revoke: ActionHook = async (args) => {
  const reason = (args.input as { reason: string }).reason;
  return { statements: [bdb.revokeCertificatesIf(args.ctx.db, args.guard, args.ctx.now, reason)] };
};

const partnerChecked = (hook?: ActionHook): ActionHook => async (args) => {
  checkPartner(args);
  return hook ? hook(args) : undefined;
};

export const BIRTH_HOOKS: Record<string, ActionHook> = {
  submit,
  resubmit,
  return_incomplete: partnerChecked(returnIncomplete),
  accept: partnerChecked(accept),
  record_input: partnerChecked(),
  send_back: partnerChecked(),
  request_signature: partnerChecked(),
  sign: partnerChecked(sign),
  confirm_delivered: partnerChecked(),
  to_pickup: partnerChecked(),
  hand_over: partnerChecked(),
  revoke: partnerChecked(revoke),
};

export const birthConstraintProblem: ConstraintProblem = (message) => {
  if (/UNIQUE constraint failed: birth_attachments\.id/.test(message)) return new ApiError('attachment_id_taken', 'Attachment id already used');
  return undefined;
};
