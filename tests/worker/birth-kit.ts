/** Fixtures for the birth-certificate worker tests: partners, required documents, sessions of each role, a valid submission, driving a case to a state. */
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { officeToday } from '../../schema/ikd-rules';
import type { Role } from '../../schema/roles';
import type { AttachmentRef, BirthSubmitInput } from '../../schema/workflows/birth';
import * as bdb from '../../worker/db/birth';
import { sha256Hex } from '../../worker/birth/hash';
import { applyCommand, type EngineContext } from '../../worker/engine';
import { registryFor } from '../../worker/db/registry';
import type { Session } from '../../worker/middleware/session';
import { createStaff, type SignedIn, signIn } from './helpers/auth';
import { RESIDENT_NIK, seedMinimalOffice, uuid7 } from './helpers/fixtures';

export const PARTNER_A = 'partner-rsud-tanjung';
export const PARTNER_B = 'partner-bidan-aminah';

export const REQUIREMENTS = [
  { code: 'surat_lahir', label_id: 'Surat keterangan lahir dokter/bidan atau SPTJM', label_en: 'Birth letter from doctor/midwife or SPTJM', required: 1, sort: 0 },
  { code: 'buku_nikah', label_id: 'Buku nikah/akta perkawinan atau SPTJM', label_en: 'Marriage certificate or SPTJM', required: 1, sort: 1 },
  { code: 'kk', label_id: 'Kartu Keluarga', label_en: 'Family card (KK)', required: 1, sort: 2 },
  { code: 'saksi', label_id: 'KTP-el dua saksi', label_en: "Two witnesses' KTP-el", required: 0, sort: 3 },
];

export async function seedBirthOffice(): Promise<void> {
  await seedMinimalOffice(env.DB);
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare('INSERT OR IGNORE INTO birth_partners (id, office_code, kind, name, active, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)').bind(PARTNER_A, '63.09', 'hospital', 'RSUD H. Badaruddin', now, now),
    env.DB.prepare('INSERT OR IGNORE INTO birth_partners (id, office_code, kind, name, active, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)').bind(PARTNER_B, '63.09', 'midwife', 'Bidan Aminah', now, now),
    ...bdb.replaceRequirements(env.DB, '63.09', REQUIREMENTS),
  ]);
}

export function session(roles: Role[], opts: { officeCode?: string; partnerId?: string; id?: string } = {}): Session {
  const id = opts.id ?? `u-${roles.join('-')}-${opts.partnerId ?? ''}`;
  return { tokenHash: `tok-${id}`, subjectType: 'staff', subjectId: id, displayName: id, officeCode: opts.officeCode ?? '63.09', roles, ...(opts.partnerId ? { partnerId: opts.partnerId } : {}) };
}
export function ctx(s: Session, now = Date.now()): EngineContext {
  return { db: env.DB, session: s, ip: '127.0.0.1', now, registry: registryFor(env) };
}

export const clerkA = session(['partner_operator'], { partnerId: PARTNER_A });
export const clerkB = session(['partner_operator'], { partnerId: PARTNER_B });
export const operator = session(['operator']);
export const verifier = session(['verifier']);
export const kadis = session(['head_of_office']);
export const fo = session(['front_office']);

/** A grant as POST /api/birth/sign makes it after the password check, bound to `s`'s session. */
export async function grantFor(s: Session): Promise<string> {
  const grant = crypto.getRandomValues(new Uint8Array(32));
  const text = btoa(String.fromCharCode(...grant)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '').slice(0, 43);
  await bdb.insertGrant(env.DB, await sha256Hex(text), s.tokenHash, Date.now() + 120_000).run();
  return text;
}

const hex64 = (n: number) => n.toString(16).padStart(64, '0');
export function attachmentRefs(n = 3) {
  const codes = ['surat_lahir', 'buku_nikah', 'kk', 'saksi'];
  return Array.from({ length: n }, (_, i) => ({ id: uuid7(), requirement: codes[i % codes.length]!, contentType: 'image/jpeg' as const, size: 1000 + i, sha256: hex64(i + 1) }));
}

/** A submission born `daysAgo` days before today in Tabalong (WITA). */
export function submission(opts: { daysAgo?: number; childName?: string; motherNik?: string; attachments?: AttachmentRef[] } = {}): BirthSubmitInput {
  const d = officeToday('Asia/Makassar', Date.now() - (opts.daysAgo ?? 5) * 86_400_000);
  return {
    child: { name: opts.childName ?? "Nur'aini Siti-Ḥasanah", sex: 'P', birthDate: d, birthTime: '07:45', birthPlace: 'RSUD H. Badaruddin, Tanjung', birthOrder: 1, weightGrams: 3100, lengthCm: 49.5 },
    mother: { nik: opts.motherNik ?? RESIDENT_NIK, name: 'Siti Aminah' },
    kkNumber: '6309010101200001',
    parentsMarriage: 'kawin_tercatat',
    reporter: { name: 'Siti Aminah', phone: '081200000001', email: 'ibu@example.test' },
    attachments: opts.attachments ?? attachmentRefs(3),
  };
}

export async function submit(who: Session = clerkA, input: BirthSubmitInput = submission()) {
  const caseId = uuid7();
  const r = await applyCommand(ctx(who), { id: uuid7(), type: 'create', caseId, service: 'birth', input });
  return { caseId, r };
}

/** Marks every declared attachment of a case uploaded (the upload route's effect, without R2). */
export async function markAllUploaded(caseId: string): Promise<void> {
  for (const a of await bdb.listAttachments(env.DB, caseId)) await bdb.markUploaded(env.DB, a.id, `test/${a.id}`, Date.now()).run();
}

export async function act(who: Session, caseId: string, version: number, action: string, input: Record<string, unknown>) {
  return applyCommand(ctx(who), { id: uuid7(), type: 'action', caseId, action, baseVersion: version, input });
}

export const validInput = async (action: string, who: Session): Promise<Record<string, unknown>> => {
  switch (action) {
    case 'return_incomplete': return { reasons: [{ requirement: 'kk', reason: 'KK tidak terbaca' }] };
    case 'resubmit': return { attachments: [] };
    case 'send_back': case 'to_pickup': case 'revoke': return { reason: 'Alasan uji coba' };
    case 'sign': return { grant: await grantFor(who) };
    case 'record_input': return {};
    default: return {};
  }
};

/** The happy path (and the return branch) to each state: [action, who]. */
export const PATH: Record<string, [string, Session][]> = {
  submitted: [],
  returned: [['return_incomplete', operator]],
  accepted: [['accept', operator]],
  entered: [['accept', operator], ['record_input', operator]],
  awaiting_signature: [['accept', operator], ['record_input', operator], ['request_signature', verifier]],
  signed: [['accept', operator], ['record_input', operator], ['request_signature', verifier], ['sign', kadis]],
  delivered: [['accept', operator], ['record_input', operator], ['request_signature', verifier], ['sign', kadis], ['confirm_delivered', operator]],
  pickup: [['accept', operator], ['record_input', operator], ['request_signature', verifier], ['sign', kadis], ['to_pickup', operator]],
  received: [['accept', operator], ['record_input', operator], ['request_signature', verifier], ['sign', kadis], ['to_pickup', operator], ['hand_over', fo]],
};

export async function caseIn(state: string, who: Session = clerkA): Promise<{ caseId: string; version: number }> {
  const { caseId, r } = await submit(who);
  expect(r.status, JSON.stringify(r.problem)).toBe('applied');
  await markAllUploaded(caseId);
  let version = r.case!.version;
  for (const [action, actor] of PATH[state]!) {
    const res = await act(actor, caseId, version, action, await validInput(action, actor));
    expect(res.status, `${action}: ${JSON.stringify(res.problem)}`).toBe('applied');
    version = res.case!.version;
  }
  return { caseId, version };
}

/** A clerk account of `partnerId` (in Tabalong), signed in over HTTP as the partner's tablet would be. */
export async function signedInClerk(partnerId: string): Promise<SignedIn> {
  const u = await createStaff({ roles: ['partner_operator'], partnerId });
  return signIn(u.username, u.password);
}
