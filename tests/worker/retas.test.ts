/** The RETAS SOP table (seed 001, first SOP) on the engine against real D1: every (state, action, role) row allowed or refused, inputs, versions and office scoping. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { STAFF_ROLES, type Role } from '../../schema/roles';
import { retas } from '../../schema/workflows/retas';
import { registryFor } from '../../worker/db/registry';
import { applyCommand, type EngineContext } from '../../worker/engine';
import type { Session } from '../../worker/middleware/session';
import { issueSignGrant } from '../../worker/documents/sign-grant';
import { insertAcknowledgement, insertLetterIfNew, upsertSchool } from '../../worker/db/retas';
import { createStaff, signIn } from './helpers/auth';
import { seedMinimalOffice, uuid7 } from './helpers/fixtures';

function session(roles: Role[], officeCode = '63.09', id = `u-${roles.join('-')}`): Session {
  return { tokenHash: 'x', subjectType: 'staff', subjectId: id, displayName: id, officeCode, roles };
}
const ctx = (s: Session): EngineContext => ({ db: env.DB, session: s, ip: '127.0.0.1', now: Date.now(), registry: registryFor(env) });
const kabid = session(['head_of_division']);
const kadis = session(['head_of_office']);
const petugas = session(['field_officer']);

const proposal = {
  schoolNpsn: '30201234', schoolName: 'SMA Negeri 1 Tanjung', date: '2026-12-14', startTime: '08:00', endTime: '12:00',
  expectedStudents: 120, officersWanted: 4, equipment: ['mobile_unit', 'recording_kit'],
};

const validInputs: Record<string, Record<string, unknown>> = {
  approve: {},
  return_proposal: { returnReason: 'Tanggal bentrok dengan ujian sekolah' },
  revise: { date: '2026-12-15' },
  // Real field officers of the office (forward_letter checks them): inserted in beforeAll.
  forward_letter: { officerIds: ['petugas-1', 'petugas-2'] },
  return_letter: { returnReason: 'Nomor surat belum diisi' },
  // Replaced by a fresh grant per command (inputFor): the letter is signed only with one (worker/documents/sign-grant.ts).
  sign_letter: {},
  confirm_ready: { officersConfirmed: true, equipmentConfirmed: true },
  start_recording: {},
  submit_report: { recorded: 110, absent: 6, refused: 1, problem: 3 },
  cancel: { cancelReason: 'Sekolah meminta penundaan' },
};

/** The input of `action`; a signature carries a grant as the sign route issues it (all sessions here share one token hash). */
async function inputFor(action: string): Promise<Record<string, unknown>> {
  return action === 'sign_letter' ? { grant: await issueSignGrant(env.DB, kadis) } : validInputs[action]!;
}

/** The shortest way to each state, by whom. */
const PATHS: Record<string, [string, Session][]> = {
  proposed: [],
  returned: [['return_proposal', kadis]],
  approved: [['approve', kadis]],
  letter_drafted: [['approve', kadis], ['forward_letter', kabid]],
  letter_signed: [['approve', kadis], ['forward_letter', kabid], ['sign_letter', kadis]],
  published: [['approve', kadis], ['forward_letter', kabid], ['sign_letter', kadis], ['confirm_ready', kabid]],
  recording: [['approve', kadis], ['forward_letter', kabid], ['sign_letter', kadis], ['confirm_ready', kabid], ['start_recording', petugas]],
  reported: [['approve', kadis], ['forward_letter', kabid], ['sign_letter', kadis], ['confirm_ready', kabid], ['start_recording', petugas], ['submit_report', petugas]],
  cancelled: [['cancel', kadis]],
};

async function caseIn(state: string): Promise<{ caseId: string; version: number }> {
  const caseId = uuid7();
  const created = await applyCommand(ctx(kabid), { id: uuid7(), type: 'create', caseId, service: 'retas', input: proposal });
  expect(created.status, JSON.stringify(created.problem)).toBe('applied');
  let version = 1;
  for (const [action, who] of PATHS[state]!) {
    // Publishing needs the issued letter and each officer's acknowledgement (tests/worker/retas-events.test.ts
    // issues them over HTTP); here they are rows, so the table's rows stay about the SOP.
    if (action === 'confirm_ready') await letterAndAcks(caseId);
    const r = await applyCommand(ctx(who), { id: uuid7(), type: 'action', caseId, action, baseVersion: version, input: await inputFor(action) });
    expect(r.status, `${action}: ${JSON.stringify(r.problem)}`).toBe('applied');
    version = r.case!.version;
  }
  return { caseId, version };
}

const school = (npsn: string, name: string, active = 1, office_code = '63.09') => upsertSchool(env.DB, {
  office_code, npsn, name, address: 'Jl. Pendidikan 1', district_code: `${office_code}.01`, contact_name: null, contact_phone: null, active, updated_at: Date.now(),
});

async function letterAndAcks(caseId: string): Promise<void> {
  const now = Date.now();
  await env.DB.batch([
    insertLetterIfNew(env.DB, { case_id: caseId, office_code: '63.09', letter_no: `800/RETAS/63.09/2026/${caseId.slice(-8)}`, signed_by: 'u-head_of_office', signed_at: now, r2_key: 'x', pdf_sha256: 'x', provider: 'local', verify_url: 'x' }),
    insertAcknowledgement(env.DB, caseId, 'petugas-1', now),
    insertAcknowledgement(env.DB, caseId, 'petugas-2', now),
  ]);
}

beforeAll(async () => {
  await seedMinimalOffice(env.DB);
  for (const id of ['petugas-1', 'petugas-2']) {
    await env.DB.prepare(`INSERT OR IGNORE INTO users (id, username, display_name, office_code, roles_json, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, '63.09', '["field_officer"]', 'x', 0, '2026-11-30', '2026-11-30')`).bind(id, id, `Petugas ${id}`).run();
  }
  await seedMinimalOffice(env.DB);
  await env.DB.batch([school('30201234', 'SMA NEGERI 1 TANJUNG'), school('30201235', 'SMK LAMA (TUTUP)', 0), school('10501234', 'SMA NEGERI 1 JAMBI', 1, '15.71')]);
});

describe('RETAS table: every (state, action, role) row', () => {
  it('covers every state with a path', () => {
    expect(Object.keys(PATHS).sort()).toEqual(Object.keys(retas.states).sort());
    expect(Object.keys(validInputs).sort()).toEqual(Object.keys(retas.actions).filter((a) => a !== 'propose').sort());
  });
  const actions = Object.entries(retas.actions).filter(([, d]) => d.from !== null);
  for (const state of Object.keys(retas.states)) {
    for (const [action, def] of actions) {
      const allowedFrom = def.from!.includes(state as never);
      for (const role of STAFF_ROLES) {
        const expected = !allowedFrom ? 'illegal_action' : def.roles.includes(role) ? 'applied' : 'forbidden_role';
        // Illegal moves are refused before roles matter: one role is enough for those rows.
        if (expected === 'illegal_action' && role !== STAFF_ROLES[0]) continue;
        it(`${state} --${action}--> as ${role}: ${expected}`, async () => {
          const { caseId, version } = await caseIn(state);
          if (action === 'confirm_ready') await letterAndAcks(caseId);
          const r = await applyCommand(ctx(session([role])), { id: uuid7(), type: 'action', caseId, action, baseVersion: version, input: await inputFor(action) });
          if (expected === 'applied') expect(r).toMatchObject({ status: 'applied', case: { state: def.to, version: version + 1 } });
          else expect(r).toMatchObject({ status: 'rejected', problem: { code: expected } });
        });
      }
    }
  }

  for (const role of STAFF_ROLES) {
    const expected = retas.actions.propose.roles.includes(role) ? 'applied' : 'forbidden_role';
    it(`propose as ${role}: ${expected}`, async () => {
      const r = await applyCommand(ctx(session([role])), { id: uuid7(), type: 'create', caseId: uuid7(), service: 'retas', input: proposal });
      if (expected === 'applied') expect(r).toMatchObject({ status: 'applied', case: { state: 'proposed', version: 1, residentNikMasked: null } });
      else expect(r).toMatchObject({ status: 'rejected', problem: { code: expected } });
    });
  }
});

describe('RETAS inputs and versions', () => {
  const badProposals: [string, Record<string, unknown>][] = [
    ['NPSN not 8 digits', { ...proposal, schoolNpsn: '123' }],
    ['end before start', { ...proposal, startTime: '12:00', endTime: '08:00' }],
    ['no students', { ...proposal, expectedStudents: 0 }],
    ['unknown equipment', { ...proposal, equipment: ['helicopter'] }],
    ['an extra field', { ...proposal, nik: '6309014101000001' }],
  ];
  for (const [what, input] of badProposals) {
    it(`refuses a proposal with ${what}`, async () => {
      const r = await applyCommand(ctx(kabid), { id: uuid7(), type: 'create', caseId: uuid7(), service: 'retas', input });
      expect(r).toMatchObject({ status: 'rejected', problem: { code: 'validation_failed' } });
    });
  }

  it('names a school the office keeps: its name comes from the office record; unknown, inactive or another office\'s school refused', async () => {
    const ok = await applyCommand(ctx(kabid), { id: uuid7(), type: 'create', caseId: uuid7(), service: 'retas', input: { ...proposal, schoolName: 'sma 1 tjg' } });
    expect(ok).toMatchObject({ status: 'applied', case: { data: { schoolName: 'SMA NEGERI 1 TANJUNG', schoolDistrict: '63.09.01' } } });
    for (const npsn of ['99999999', '30201235', '10501234']) {
      const r = await applyCommand(ctx(kabid), { id: uuid7(), type: 'create', caseId: uuid7(), service: 'retas', input: { ...proposal, schoolNpsn: npsn } });
      expect(r, npsn).toMatchObject({ status: 'rejected', problem: { code: 'school_not_found' } });
    }
    const { caseId, version } = await caseIn('returned');
    const r = await applyCommand(ctx(kabid), { id: uuid7(), type: 'action', caseId, action: 'revise', baseVersion: version, input: { schoolNpsn: '99999999' } });
    expect(r).toMatchObject({ status: 'rejected', problem: { code: 'school_not_found' } });
  });

  it("the early-recording period is the office's: a proposal takes it as it stands, a revision takes the new one; a proposal may not set its own", async () => {
    const setPeriod = (months: number) => env.DB.prepare("UPDATE offices SET retas_early_months = ? WHERE code = '63.09'").bind(months).run();
    try {
      await setPeriod(12);
      const { caseId, version } = await caseIn('returned');
      const created = await applyCommand(ctx(kabid), { id: uuid7(), type: 'create', caseId: uuid7(), service: 'retas', input: proposal });
      expect(created.case!.data).toMatchObject({ earlyMonths: 12 });
      await setPeriod(0);
      // The case already proposed keeps the period it was proposed under until it is revised.
      const unchanged = await env.DB.prepare('SELECT data_json FROM cases WHERE id = ?').bind(created.case!.id).first<{ data_json: string }>();
      expect(JSON.parse(unchanged!.data_json).earlyMonths).toBe(12);
      const revised = await applyCommand(ctx(kabid), { id: uuid7(), type: 'action', caseId, action: 'revise', baseVersion: version, input: { date: '2026-12-16' } });
      expect(revised.case!.data).toMatchObject({ earlyMonths: 0, date: '2026-12-16' });
      const own = await applyCommand(ctx(kabid), { id: uuid7(), type: 'create', caseId: uuid7(), service: 'retas', input: { ...proposal, earlyMonths: 6 } });
      expect(own).toMatchObject({ status: 'rejected', problem: { code: 'validation_failed' } });
    } finally {
      await setPeriod(0);
    }
  });

  it('the head sends it back with a reason; the revision keeps the rest and goes back for approval', async () => {
    const { caseId, version } = await caseIn('returned');
    const noReason = await applyCommand(ctx(kadis), { id: uuid7(), type: 'action', caseId: (await caseIn('proposed')).caseId, action: 'return_proposal', baseVersion: 1, input: { returnReason: '' } });
    expect(noReason).toMatchObject({ status: 'rejected', problem: { code: 'validation_failed' } });
    const revised = await applyCommand(ctx(kabid), { id: uuid7(), type: 'action', caseId, action: 'revise', baseVersion: version, input: { date: '2026-12-16', startTime: '09:00', endTime: '11:00' } });
    expect(revised).toMatchObject({ status: 'applied', case: { state: 'proposed' } });
    expect(revised.case!.data).toMatchObject({ schoolNpsn: '30201234', date: '2026-12-16', returnReason: 'Tanggal bentrok dengan ujian sekolah' });
  });

  it('publishing needs both confirmations; an officer listed twice is refused', async () => {
    const signed = await caseIn('letter_signed');
    const half = await applyCommand(ctx(kabid), { id: uuid7(), type: 'action', caseId: signed.caseId, action: 'confirm_ready', baseVersion: signed.version, input: { officersConfirmed: true } });
    expect(half).toMatchObject({ status: 'rejected', problem: { code: 'validation_failed' } });
    const approved = await caseIn('approved');
    const twice = await applyCommand(ctx(kabid), { id: uuid7(), type: 'action', caseId: approved.caseId, action: 'forward_letter', baseVersion: approved.version, input: { officerIds: ['a', 'a'] } });
    expect(twice).toMatchObject({ status: 'rejected', problem: { code: 'validation_failed' } });
  });

  it('two heads acting on the same version: one applies, the other gets a conflict', async () => {
    const { caseId, version } = await caseIn('proposed');
    const a = await applyCommand(ctx(kadis), { id: uuid7(), type: 'action', caseId, action: 'approve', baseVersion: version, input: {} });
    const b = await applyCommand(ctx(kadis), { id: uuid7(), type: 'action', caseId, action: 'return_proposal', baseVersion: version, input: validInputs.return_proposal! });
    expect([a.status, b.status]).toEqual(['applied', 'conflict']);
    expect(b.problem?.code).toBe('stale_version');
  });

  it("another office's head may not act on it", async () => {
    const { caseId, version } = await caseIn('proposed');
    const r = await applyCommand(ctx(session(['head_of_office'], '15.71')), { id: uuid7(), type: 'action', caseId, action: 'approve', baseVersion: version, input: {} });
    expect(r).toMatchObject({ status: 'rejected', problem: { code: 'forbidden_object' } });
  });
});

describe('schools kept by the office', () => {
  it('the head of division adds and updates schools; field officers read them; others and other offices do not see or change them', async () => {
    const [kb, po, fo, jk] = await Promise.all([
      createStaff({ roles: ['head_of_division'] }), createStaff({ roles: ['field_officer'] }), createStaff({ roles: ['front_office'] }),
      createStaff({ roles: ['head_of_division'], officeCode: '15.71' }),
    ]);
    const [kbS, poS, foS, jkS] = await Promise.all([kb, po, fo, jk].map((s) => signIn(s.username, s.password)));
    const body = { name: 'SMA NEGERI 2 TANJUNG', address: 'Jl. Ahmad Yani 2', districtCode: '63.09.01', contactName: 'Ibu Rina', contactPhone: '081234567891' };
    const put = await kbS!.fetch('/api/retas/schools/30209999', { method: 'PUT', json: body });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ school: { npsn: '30209999', name: body.name, active: true } });
    const again = await kbS!.fetch('/api/retas/schools/30209999', { method: 'PUT', json: { ...body, active: false } });
    expect(await again.json()).toMatchObject({ school: { active: false } });

    const list = (await (await poS!.fetch('/api/retas/schools')).json()) as { schools: { npsn: string }[] };
    expect(list.schools.map((s) => s.npsn)).toContain('30209999');
    expect(list.schools.map((s) => s.npsn)).not.toContain('10501234');
    expect((await foS!.fetch('/api/retas/schools')).status).toBe(403);
    expect((await poS!.fetch('/api/retas/schools/30209998', { method: 'PUT', json: body })).status).toBe(403);
    // A district outside the office's regency/city, a bad NPSN.
    const outside = await jkS!.fetch('/api/retas/schools/30209999', { method: 'PUT', json: body });
    expect(outside.status).toBe(422);
    expect(((await outside.json()) as { code: string }).code).toBe('validation_failed');
    expect((await kbS!.fetch('/api/retas/schools/123', { method: 'PUT', json: body })).status).toBe(422);
  });
});
