/**
 * The cast of the generated hostile suites: every staff role of Tabalong (the "own" office), a resident with a
 * registration session and one with a full session, anonymous; and objects of each kind in both offices and for
 * two residents, so every route can be tried on its own object and on someone else's.
 */
import { env } from 'cloudflare:test';
import { STAFF_ROLES, type StaffRole } from '../../../schema/roles';
import { uuid7 } from '../../../schema/ids';
import { hashToken } from '../../../worker/auth/sessions';
import { api, type ApiInit, createStaff, KOTA_JAMBI, signIn, TABALONG, testIp } from '../helpers/auth';
import { addResident, futureWeekday, newDevice, register } from '../ikd-kit';
import { filePublic } from '../aduan-kit';
import { REQUIREMENTS, session as birthSession, submission as birthSubmission } from '../birth-kit';
import * as bdb from '../../../worker/db/birth';
import { applyCommand } from '../../../worker/engine';
import { registryFor } from '../../../worker/db/registry';
import { upsertSchool } from '../../../worker/db/retas';

/** `partnerClerk`: a clerk of Tabalong's matrix partner (role partner_operator with a partner), beside the role's partnerless one. */
export type SubjectName = 'anonymous' | 'resident' | 'residentFull' | 'partnerClerk' | StaffRole;

export interface Subject {
  name: SubjectName;
  kind: 'anonymous' | 'resident' | 'staff';
  fetch(path: string, init?: ApiInit): Promise<Response>;
}

/** Values for path parameters and bodies: the subject's own object and another office's / another resident's. */
export interface ObjectIds {
  own: Record<string, string>;
  other: Record<string, string>;
}

export interface World {
  subjects: Subject[];
  /** A valid device public key and a signature by it, for bodies that need one. */
  device: { jwk: JsonWebKey; qr: string; signature: string };
  /** Path parameters per subject kind: staff own = Tabalong's, other = Kota Jambi's; residents: own case vs another resident's. */
  ids: { staff: ObjectIds; resident: ObjectIds; residentFull: ObjectIds; partnerClerk: ObjectIds };
}

const MIN = 60_000;

async function residentCookie(nik: string, assurance: 'registration' | 'full'): Promise<string> {
  const token = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const now = Date.now();
  await env.DB.prepare(`INSERT INTO sessions (token_hash, subject_type, subject_id, created_at, last_seen_at, expires_at, assurance) VALUES (?, 'resident', ?, ?, ?, ?, ?)`)
    .bind(await hashToken(token), nik, now, now, now + 3600_000, assurance)
    .run();
  return `loket_session=${token}`;
}

async function slotOf(op: { fetch: Subject['fetch'] }, officeCode: string): Promise<string> {
  const startsAt = futureWeekday(officeCode, '09:00', 3);
  const res = await op.fetch('/api/ikd/slots', { method: 'POST', json: { startsAt, endsAt: startsAt + 30 * MIN, capacity: 2 } });
  if (res.status !== 201) throw new Error(`slot for ${officeCode}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { slot: { id: string } }).slot.id;
}

/** Builds the cast in D1 through the API (sign-ins, registrations, slots), as a real office would have it. */
export async function buildWorld(roles: readonly StaffRole[] = STAFF_ROLES): Promise<World> {
  const ip = testIp();
  const staffSubjects: Subject[] = [];
  for (const role of roles) {
    const s = await createStaff({ roles: [role], officeCode: TABALONG });
    const signed = await signIn(s.username, s.password, { ip });
    staffSubjects.push({ name: role, kind: 'staff', fetch: (p, i = {}) => signed.fetch(p, { ip, ...i }) });
  }
  // Objects: IKD cases of two Tabalong residents and one Kota Jambi resident; slots and staff in both offices.
  const [a, b, c] = [await addResident(), await addResident(), await addResident({ officeCode: KOTA_JAMBI })];
  const [caseA, caseB, caseC] = [await register(a!), await register(b!), await register(c!)];
  const opTab = await createStaff({ roles: ['operator'], officeCode: TABALONG });
  const opJam = await createStaff({ roles: ['operator'], officeCode: KOTA_JAMBI });
  const opTabIn = await signIn(opTab.username, opTab.password, { ip });
  const opJamIn = await signIn(opJam.username, opJam.password, { ip });
  const [slotTab, slotJam] = [await slotOf(opTabIn, TABALONG), await slotOf(opJamIn, KOTA_JAMBI)];
  // KTP-el applications (the receipt route knows only those) of residents A and B in Tabalong and C in Kota Jambi.
  const foTab = await createStaff({ roles: ['front_office'], officeCode: TABALONG });
  const foJam = await createStaff({ roles: ['front_office'], officeCode: KOTA_JAMBI });
  const [foTabIn, foJamIn] = [await signIn(foTab.username, foTab.password, { ip }), await signIn(foJam.username, foJam.password, { ip })];
  const ktpel = async (fo: { fetch: Subject['fetch'] }, nik: string) => {
    const caseId = uuid7();
    const res = await fo.fetch('/api/sync/push', { method: 'POST', json: { commands: [{ id: uuid7(), type: 'create', caseId, service: 'ktpel', input: { nik, reason: 'baru', channel: 'counter' } }] } });
    const out = (await res.json()) as { results: { status: string }[] };
    if (out.results?.[0]?.status !== 'applied') throw new Error(`ktpel case for the matrix: ${JSON.stringify(out)}`);
    return caseId;
  };
  const [ktpA, ktpB, ktpC] = [await ktpel(foTabIn, a!.nik), await ktpel(foTabIn, b!.nik), await ktpel(foJamIn, c!.nik)];
  // A card at the counter in each office, and the receipt QR the front office printed for it (the pickup routes).
  const act = async (who: { fetch: Subject['fetch'] }, caseId: string, action: string, baseVersion: number, input: Record<string, unknown> = {}) => {
    const res = await who.fetch('/api/sync/push', { method: 'POST', json: { commands: [{ id: uuid7(), type: 'action', caseId, action, baseVersion, input }] } });
    const out = (await res.json()) as { results: { status: string }[] };
    if (out.results?.[0]?.status !== 'applied') throw new Error(`ktpel ${action} for the matrix: ${JSON.stringify(out)}`);
  };
  const cardReady = async (fo: { fetch: Subject['fetch'] }, op: { fetch: Subject['fetch'] }, officeCode: string) => {
    const caseId = await ktpel(fo, (await addResident({ officeCode }))!.nik);
    await act(fo, caseId, 'accept', 1);
    const res = await fo.fetch(`/api/cases/${caseId}/receipt`);
    if (res.status !== 200) throw new Error(`receipt for the matrix: ${res.status} ${await res.text()}`);
    const { receipt } = (await res.json()) as { receipt: { checkUrl: string } };
    await act(op, caseId, 'record_input', 2);
    await act(op, caseId, 'hand_to_fo', 3, { blankoSerial: `BLK-${crypto.randomUUID().slice(0, 8)}` });
    return { caseId, qr: receipt.checkUrl };
  };
  const [receiptTab, receiptJam] = [await cardReady(foTabIn, opTabIn, TABALONG), await cardReady(foJamIn, opJamIn, KOTA_JAMBI)];
  // A clerk account of each office (birth partners' staff), for the admin's clerk assignment.
  const [clerkTab, clerkJam] = [await createStaff({ roles: ['partner_operator'], officeCode: TABALONG }), await createStaff({ roles: ['partner_operator'], officeCode: KOTA_JAMBI })];
  // A RETAS school Kota Jambi keeps; Tabalong's NPSN is one no office keeps yet.
  await env.DB.prepare(`INSERT INTO retas_schools (office_code, npsn, name, address, district_code, active, updated_at) VALUES (?, '10509001', 'SMA NEGERI MATRIKS JAMBI', 'Jl. Matriks 1', '15.71.01', 1, ?)`)
    .bind(KOTA_JAMBI, Date.now())
    .run();

  // Complaints (filed without an account, as the public form does) in Tabalong and in Kota Jambi.
  const [complaintTab, complaintJam] = [await filePublic({}, TABALONG), await filePublic({}, KOTA_JAMBI)];
  // An attachment of each (the email channel stores them so), its bytes in R2, so reading it back has an answer.
  const aduanFile = async (caseId: string, officeCode: string, purpose: 'intake' | 'reply' = 'intake') => {
    const id = uuid7();
    const key = `aduan/${officeCode}/${caseId}/${id}.pdf`;
    const bytes = new TextEncoder().encode('%PDF-1.4\n% lampiran matriks\n');
    await env.FILES.put(key, bytes, { httpMetadata: { contentType: 'application/pdf' } });
    await env.DB.prepare('INSERT INTO complaint_attachments (id, case_id, r2_key, filename, content_type, size, created_at, purpose) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .bind(id, caseId, key, 'lampiran.pdf', 'application/pdf', bytes.byteLength, Date.now(), purpose).run();
    return id;
  };
  const [aduanFileTab, aduanFileJam] = [await aduanFile(complaintTab.caseId, TABALONG), await aduanFile(complaintJam.caseId, KOTA_JAMBI)];
  // A file of each one's answer, offered to the holder of its tracking code.
  const [aduanReplyTab, aduanReplyJam] = [await aduanFile(complaintTab.caseId, TABALONG, 'reply'), await aduanFile(complaintJam.caseId, KOTA_JAMBI, 'reply')];
  // Birth: a partner and its clerk's submission with declared attachments in each office.
  const birthIn = async (officeCode: string, motherNik: string, partnerId = `partner-matrix-${officeCode}`) => {
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare('INSERT OR IGNORE INTO birth_partners (id, office_code, kind, name, active, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)').bind(partnerId, officeCode, 'hospital', `RS Matriks ${partnerId}`, now, now),
      ...bdb.replaceRequirements(env.DB, officeCode, REQUIREMENTS),
    ]);
    const clerk = birthSession(['partner_operator'], { officeCode, partnerId, id: `clerk-matrix-${partnerId}` });
    const caseId = uuid7();
    const r = await applyCommand({ db: env.DB, session: clerk, ip: '127.0.0.1', now, registry: registryFor(env) }, { id: uuid7(), type: 'create', caseId, service: 'birth', input: birthSubmission({ motherNik }) });
    if (r.status !== 'applied') throw new Error(`birth case for the matrix in ${officeCode}: ${JSON.stringify(r.problem)}`);
    // The first attachment's bytes are in R2 (the clerk's upload), so reading it back has something to answer.
    const [att] = await bdb.listAttachments(env.DB, caseId);
    const key = `birth/${officeCode}/${caseId}/${att!.id}`;
    await env.FILES.put(key, new Uint8Array(att!.size), { httpMetadata: { contentType: att!.content_type } });
    await bdb.markUploaded(env.DB, att!.id, key, now).run();
    return { partner: partnerId, birthCase: caseId, attachment: att!.id };
  };
  const [birthTab, birthJam] = [await birthIn(TABALONG, a!.nik), await birthIn(KOTA_JAMBI, c!.nik)];
  // A second partner of Tabalong with its own submission: what the clerk of the first must not see or touch.
  const birthTabOther = await birthIn(TABALONG, b!.nik, `partner-matrix-${TABALONG}-lain`);
  const partnerClerk = await createStaff({ roles: ['partner_operator'], officeCode: TABALONG, partnerId: birthTab.partner });
  const partnerClerkIn = await signIn(partnerClerk.username, partnerClerk.password, { ip });
  // RETAS: a proposal for a school of each office (the matrix's field officer is on no letter).
  const retasIn = async (officeCode: string) => {
    const now = Date.now();
    const npsn = officeCode === TABALONG ? '30209901' : '10509901';
    await upsertSchool(env.DB, { office_code: officeCode, npsn, name: `SMA MATRIKS ${officeCode}`, address: 'Jl. Uji 1', district_code: `${officeCode}.01`, contact_name: null, contact_phone: null, active: 1, updated_at: now }).run();
    const kabid = { tokenHash: 'x', subjectType: 'staff' as const, subjectId: `kabid-matrix-${officeCode}`, displayName: 'Kabid', officeCode, roles: ['head_of_division' as const] };
    const caseId = uuid7();
    const input = { schoolNpsn: npsn, schoolName: 'SMA Matriks', date: '2027-01-18', startTime: '08:00', endTime: '12:00', expectedStudents: 50, officersWanted: 2, equipment: ['recording_kit'] };
    const r = await applyCommand({ db: env.DB, session: kabid, ip: '127.0.0.1', now, registry: registryFor(env) }, { id: uuid7(), type: 'create', caseId, service: 'retas', input });
    if (r.status !== 'applied') throw new Error(`retas case for the matrix in ${officeCode}: ${JSON.stringify(r.problem)}`);
    return { retasCase: caseId };
  };
  const [retasTab, retasJam] = [await retasIn(TABALONG), await retasIn(KOTA_JAMBI)];

  const device = await newDevice();
  const qr = `LOKETB2.${caseA.case.id}.AAAAAAAAAAAAAAAAAAAAAA`;
  const residentA = await residentCookie(a!.nik, 'registration');
  const residentB = await residentCookie(b!.nik, 'full');
  const subjects: Subject[] = [
    { name: 'anonymous', kind: 'anonymous', fetch: (p, i = {}) => api(p, { ip, ...i }) },
    { name: 'resident', kind: 'resident', fetch: (p, i = {}) => api(p, { ip, cookie: residentA, ...i }) },
    { name: 'residentFull', kind: 'resident', fetch: (p, i = {}) => api(p, { ip, cookie: residentB, ...i }) },
    ...staffSubjects,
    { name: 'partnerClerk', kind: 'staff', fetch: (p, i = {}) => partnerClerkIn.fetch(p, { ip, ...i }) },
  ];
  const tab = {
    code: TABALONG, slot: slotTab, staff: opTab.id, complaint: complaintTab.caseId, tracking: complaintTab.trackingCode, receipt: receiptTab.qr, receiptCase: receiptTab.caseId,
    clerk: clerkTab.id, npsn: '63099001', aduanAttachment: aduanFileTab, aduanReply: aduanReplyTab, ...birthTab, ...retasTab,
  };
  const jam = {
    code: KOTA_JAMBI, slot: slotJam, staff: opJam.id, complaint: complaintJam.caseId, tracking: complaintJam.trackingCode, receipt: receiptJam.qr, receiptCase: receiptJam.caseId,
    clerk: clerkJam.id, npsn: '10509001', aduanAttachment: aduanFileJam, aduanReply: aduanReplyJam, ...birthJam, ...retasJam,
  };
  return {
    subjects,
    device: { jwk: device.jwk, qr, signature: await device.sign(qr) },
    ids: {
      staff: { own: { ...tab, id: caseA.case.id, ktpel: ktpA, nik: a!.nik }, other: { ...jam, id: caseC.case.id, ktpel: ktpC, nik: c!.nik } },
      resident: { own: { ...tab, id: caseA.case.id, ktpel: ktpA, nik: a!.nik }, other: { ...jam, id: caseB.case.id, ktpel: ktpB, nik: b!.nik } },
      residentFull: { own: { ...tab, id: caseB.case.id, ktpel: ktpB, nik: b!.nik }, other: { ...jam, id: caseA.case.id, ktpel: ktpA, nik: a!.nik } },
      // The clerk's "other" birth objects are its own office's other partner's (the check between partners); the
      // rest is Kota Jambi's, as for any staff.
      partnerClerk: { own: { ...tab, id: caseA.case.id, ktpel: ktpA, nik: a!.nik }, other: { ...jam, ...birthTabOther, id: caseC.case.id, ktpel: ktpC, nik: c!.nik } },
    },
  };
}

/** Which object an `{id}` names, by the route's prefix; anything else is a case. */
const ID_KINDS: [string, string][] = [
  ['/api/ikd/slots/', 'slot'],
  ['/api/staff/', 'staff'],
  ['/api/aduan/cases/', 'complaint'],
  ['/api/aduan/attachments/', 'aduanAttachment'],
  ['/api/aduan/track/files/', 'aduanReply'],
  ['/api/birth/partners/', 'partner'],
  ['/api/birth/attachments/', 'attachment'],
  ['/api/birth/cases/', 'birthCase'],
  ['/api/retas/cases/', 'retasCase'],
];

/**
 * Fills the path parameters of an OpenAPI path. `{no}` (a register number) and `{token}` (a signed document link)
 * have no object in the world: a made-up value stands in, so those routes answer as for an unknown object. `{n}`
 * (a part of a chunked upload) is the first.
 */
export function fillPath(path: string, ids: Record<string, string>): string {
  const idKind = path.endsWith('/receipt') ? 'ktpel' : ID_KINDS.find(([prefix]) => path.startsWith(prefix))?.[1] ?? 'id';
  return path
    .replace('{id}', ids[idKind]!)
    .replace('{code}', ids.code!)
    .replace('{office}', ids.code!)
    .replace('{npsn}', ids.npsn!)
    .replace('{no}', ids.certificate ?? 'AL-0000-000000')
    .replace('{token}', ids.token ?? 'bukan-tautan-dokumen')
    .replace('{n}', '0'); // the first part of a chunked upload
}

/** One OpenAPI operation. */
export interface Operation {
  method: string;
  path: string;
  key: string;
  hasParams: boolean;
}

export async function operations(): Promise<Operation[]> {
  const doc = (await (await api('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((m) => ({ method: m.toUpperCase(), path, key: `${m.toUpperCase()} ${path}`, hasParams: path.includes('{') })),
  );
}
