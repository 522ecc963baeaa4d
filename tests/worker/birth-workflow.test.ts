/** The birth SOP table against real D1: every (state, action, role) allowed or refused, versions, flags, completeness, signing grants. */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { STAFF_ROLES, type StaffRole } from '../../schema/roles';
import { birth } from '../../schema/workflows/birth';
import * as bdb from '../../worker/db/birth';
import { getCase } from '../../worker/db/cases';
import { act, attachmentRefs, caseIn, clerkA, clerkB, grantFor, kadis, markAllUploaded, operator, seedBirthOffice, session, submission, submit, validInput, verifier } from './birth-kit';

beforeAll(seedBirthOffice);

/** The session that plays `role`: the partner role is played by the clerk of the case's own partner. */
const as = (role: StaffRole) => (role === 'partner_operator' ? clerkA : session([role]));

describe('birth table: every (state, action, role)', () => {
  const actions = Object.entries(birth.actions).filter(([, d]) => d.from !== null);
  for (const state of Object.keys(birth.states)) {
    it(`${state}: refused actions change nothing; allowed ones apply with version + 1`, async () => {
      const { caseId, version } = await caseIn(state);
      for (const [action, def] of actions) {
        const allowedFrom = def.from!.includes(state as never);
        for (const role of STAFF_ROLES) {
          const expected = !allowedFrom ? 'illegal_action' : def.roles.includes(role) ? 'applied' : 'forbidden_role';
          if (expected === 'applied') {
            const fresh = await caseIn(state);
            const r = await act(as(role), fresh.caseId, fresh.version, action, await validInput(action, as(role)));
            expect(r.status, `${state} --${action}--> as ${role}: ${JSON.stringify(r.problem)}`).toBe('applied');
            expect(r.case).toMatchObject({ state: def.to, version: fresh.version + 1 });
          } else {
            const r = await act(as(role), caseId, version, action, await validInput(action, as(role)));
            expect(r.status, `${state} --${action}--> as ${role}`).toBe('rejected');
            expect(r.problem?.code, `${state} --${action}--> as ${role}`).toBe(expected);
          }
        }
      }
      expect((await getCase(env.DB, caseId))!.version).toBe(version);
    });
  }

  it('only partner clerks create birth cases', async () => {
    for (const role of STAFF_ROLES.filter((r) => r !== 'partner_operator')) {
      const { r } = await submit(session([role]));
      expect(r.status).toBe('rejected');
      expect(r.problem?.code).toBe('forbidden_role');
    }
    const { r } = await submit(session(['partner_operator'])); // a clerk attached to no partner
    expect(r.problem?.code).toBe('forbidden_object');
  });

  it('a stale version is a conflict carrying the current case', async () => {
    const { caseId, version } = await caseIn('accepted');
    const r1 = await act(operator, caseId, version, 'record_input', {});
    expect(r1.status).toBe('applied');
    const r2 = await act(operator, caseId, version, 'record_input', {});
    expect(r2.status).toBe('conflict');
    expect(r2.problem?.code).toBe('stale_version');
    expect(r2.case?.state).toBe('entered');
  });
});

describe('flags for the office, never refusals', () => {
  it('a birth reported after 60 days is flagged late, within 60 days not', async () => {
    const late = await submit(clerkA, submission({ daysAgo: 90, motherNik: '6309014101000091', childName: 'Ahmad' }));
    expect(late.r.status).toBe('applied');
    expect(late.r.case!.data).toMatchObject({ flags: { late: true, daysSinceBirth: 90 } });
    const onTime = await submit(clerkA, submission({ daysAgo: 10, motherNik: '6309014101000092', childName: 'Ahmad' }));
    expect(onTime.r.case!.data).toMatchObject({ flags: { late: false, daysSinceBirth: 10 } });
  });

  it('a birth date in the future is refused', async () => {
    const { r } = await submit(clerkA, submission({ daysAgo: -3 }));
    expect(r.status).toBe('rejected');
    expect(r.problem?.code).toBe('validation_failed');
  });

  it('same mother, same birth date and a similar name from another device or partner is a possible duplicate', async () => {
    const mother = '6309014101000077';
    const first = await submit(clerkA, submission({ motherNik: mother, childName: 'Aisyah Putri', daysAgo: 3 }));
    const second = await submit(clerkB, submission({ motherNik: mother, childName: 'Aisah Putri', daysAgo: 3 }));
    const twin = await submit(clerkB, submission({ motherNik: mother, childName: 'Muhammad Fajar', daysAgo: 3 }));
    expect(first.r.case!.data).toMatchObject({ flags: { possibleDuplicate: false } });
    expect(second.r.case!.data).toMatchObject({ flags: { possibleDuplicate: true } });
    expect(await bdb.duplicateLinks(env.DB, first.caseId)).toEqual([second.caseId]);
    expect(await bdb.duplicateLinks(env.DB, second.caseId)).toEqual([first.caseId]);
    // A twin has the same mother and date but another name: not flagged.
    expect(twin.r.case!.data).toMatchObject({ flags: { possibleDuplicate: false } });
  });

  it('parents not in the registry are flagged; the NIKs reach clients masked', async () => {
    const { r } = await submit(clerkA, submission({ motherNik: '6309014101009999' }));
    expect(r.case!.data).toMatchObject({ flags: { motherInRegistry: false }, mother: { nik: '6309••••••••9999' }, kkNumber: '6309••••••••0001' });
  });

  it('missing required documents are listed; completeness refuses them and files not yet uploaded', async () => {
    const { caseId, r } = await submit(clerkA, submission({ attachments: attachmentRefs(2) }));
    expect(r.case!.data).toMatchObject({ flags: { missingRequirements: ['kk'] } });
    const notUploaded = await act(operator, caseId, 1, 'accept', {});
    expect(notUploaded.problem?.code).toBe('birth_attachments_pending');
    await markAllUploaded(caseId);
    const missing = await act(operator, caseId, 1, 'accept', {});
    expect(missing.problem?.code).toBe('birth_requirements_missing');
  });
});

describe('return with reasons per document, resubmit with history', () => {
  it('the parent is told each reason; the corrected file keeps the first files and adds new ones', async () => {
    const { caseId, r } = await submit(clerkA, submission({ attachments: attachmentRefs(2) }));
    const ret = await act(operator, caseId, r.case!.version, 'return_incomplete', { reasons: [{ requirement: 'kk', reason: 'KK belum dilampirkan' }, { requirement: 'surat_lahir', reason: 'Foto buram' }] });
    expect(ret.status).toBe('applied');
    const sent = await env.DB.prepare('SELECT channel, body FROM notifications WHERE case_id = ? ORDER BY channel').bind(caseId).all<{ channel: string; body: string }>();
    expect(sent.results.map((n) => n.channel)).toEqual(['email', 'whatsapp']);
    expect(sent.results[0]!.body).toContain('kk: KK belum dilampirkan');
    expect(sent.results[0]!.body).toContain('surat_lahir: Foto buram');
    const more = attachmentRefs(3).slice(2);
    const re = await act(clerkA, caseId, ret.case!.version, 'resubmit', { attachments: more });
    expect(re.status, JSON.stringify(re.problem)).toBe('applied');
    expect(re.case!.state).toBe('submitted');
    expect((re.case!.data as { attachments: unknown[] }).attachments).toHaveLength(3);
    expect(re.case!.data).toMatchObject({ flags: { missingRequirements: [] }, returned: null });
    expect((await bdb.listAttachments(env.DB, caseId)).map((a) => a.declared_version)).toEqual([1, 1, 3]);
  });
});

describe('signing', () => {
  it('without a fresh grant of the same session the signature is refused', async () => {
    const { caseId, version } = await caseIn('awaiting_signature');
    const r = await act(kadis, caseId, version, 'sign', { grant: 'A'.repeat(43) });
    expect(r.problem?.code).toBe('reauth_required');
    // A push without any grant (what an outbox would hold) is refused the same way, naming the sign route.
    const bare = await act(kadis, caseId, version, 'sign', {});
    expect(bare.problem).toMatchObject({ code: 'reauth_required', detail: expect.stringContaining('POST /api/birth/sign') });
    const otherKadis = session(['head_of_office'], { id: 'kadis-2' });
    const stolen = await act(kadis, caseId, version, 'sign', { grant: await grantFor(otherKadis) });
    expect(stolen.problem?.code).toBe('reauth_required');
  });

  it('a signature assigns the next register number of the office and day; the grant is not recorded', async () => {
    const { caseId, version } = await caseIn('awaiting_signature');
    const r = await act(kadis, caseId, version, 'sign', { grant: await grantFor(kadis) });
    expect(r.status).toBe('applied');
    const certs = await bdb.certificatesOfCase(env.DB, caseId);
    expect(certs).toHaveLength(1);
    expect(certs[0]!.register_no).toMatch(/^6309-LT-\d{8}-\d{4}$/);
    expect(certs[0]!.status).toBe('pending_document');
    const step = await env.DB.prepare("SELECT input_json FROM case_steps WHERE case_id = ? AND action = 'sign'").bind(caseId).first<{ input_json: string }>();
    expect(step!.input_json).toBe('{}');
  });

  it('revocation marks the certificate revoked and sends the case back for a new signature with a new number', async () => {
    const { caseId, version } = await caseIn('signed');
    const [first] = await bdb.certificatesOfCase(env.DB, caseId);
    const rev = await act(kadis, caseId, version, 'revoke', { reason: 'Nama anak salah ketik' });
    expect(rev.case!.state).toBe('entered');
    const again = await act(verifier, caseId, rev.case!.version, 'request_signature', {});
    const signed = await act(kadis, caseId, again.case!.version, 'sign', { grant: await grantFor(kadis) });
    expect(signed.status).toBe('applied');
    const certs = await bdb.certificatesOfCase(env.DB, caseId);
    expect(certs.map((c) => c.status)).toEqual(['revoked', 'pending_document']);
    expect(certs[0]!.register_no).toBe(first!.register_no);
    expect(certs[0]!.revoke_reason).toBe('Nama anak salah ketik');
    expect(certs[1]!.register_no).not.toBe(first!.register_no);
  });
});
