/**
 * The RETAS assignment letter's QR checked on a teacher's phone: GENUINE online (with the event's cancellation
 * asked of the server), still GENUINE with the network really cut (app shell from the service worker, office keys
 * from IndexedDB, the cancellation said to be unchecked), and NOT GENUINE with one character of the signature changed.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../schema/demo';
import { uuid7 } from '../../schema/ids';
import { account, baseUrl, cutNetwork, newContext, sharedBrowser, signIn, waitForServiceWorker } from './helpers';

const OFFICE = '15.71';
const NPSN = '10507772';

async function call(page: Page, method: 'POST' | 'PUT', path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await page.request.fetch(path, { method, headers: { origin: baseUrl(), 'content-type': 'application/json' }, data: JSON.stringify(body) });
  return { status: res.status(), json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}
async function push(page: Page, cmd: Record<string, unknown>): Promise<{ status: string; case?: { version: number } }> {
  const { json } = await call(page, 'POST', '/api/sync/push', { commands: [{ id: uuid7(), ...cmd }] });
  return (json.results as { status: string; case?: { version: number } }[])[0]!;
}

describe('RETAS letter check offline', () => {
  const browser = sharedBrowser();

  it('GENUINE online and with the network cut (cached office keys); NOT GENUINE when the signature is changed', async () => {
    const kabidCtx = await newContext(browser());
    const kabid = await kabidCtx.newPage();
    await signIn(kabid, account('head_of_division', OFFICE));
    const kadisCtx = await newContext(browser());
    const kadis = await kadisCtx.newPage();
    await signIn(kadis, account('head_of_office', OFFICE));
    expect((await call(kabid, 'PUT', `/api/retas/schools/${NPSN}`, { name: 'SMA NEGERI 8 JAMBI', address: 'Jl. Uji Coba 8', districtCode: '15.71.01' })).status).toBe(200);
    const caseId = uuid7();
    expect((await push(kabid, { type: 'create', caseId, service: 'retas', input: { schoolNpsn: NPSN, schoolName: 'SMAN 8', date: '2027-02-10', startTime: '07:30', endTime: '14:00', expectedStudents: 40, officersWanted: 1, equipment: ['mobile_unit'] } })).status).toBe('applied');
    let v = (await push(kadis, { type: 'action', caseId, action: 'approve', baseVersion: 1, input: {} })).case!.version;
    v = (await push(kabid, { type: 'action', caseId, action: 'forward_letter', baseVersion: v, input: { officerIds: [account('field_officer', OFFICE).id] } })).case!.version;
    const signed = await call(kadis, 'POST', `/api/retas/cases/${caseId}/letter/sign`, { password: DEMO_PASSWORD, version: v });
    expect(signed.status).toBe(200);
    const link = new URL((signed.json.letter as { verifyUrl: string }).verifyUrl);
    expect(link.pathname).toBe('/v/surat-tugas');

    // A teacher's phone: no account; the QR link opens the check page.
    const phone = await newContext(browser());
    const checker = await phone.newPage();
    const errors: string[] = [];
    checker.on('pageerror', (e) => errors.push(String(e)));
    const verdict = async () => {
      const el = checker.getByTestId('letter-verdict');
      await el.waitFor();
      return { verdict: await el.getAttribute('data-verdict'), cancelChecked: await el.getAttribute('data-cancel-checked'), reason: await el.getAttribute('data-reason'), text: (await el.textContent()) ?? '' };
    };
    await checker.goto(`${link.pathname}${link.hash}`);
    const online = await verdict();
    expect(online).toMatchObject({ verdict: 'genuine', cancelChecked: 'true' });
    expect(online.text).toContain('SMA NEGERI 8 JAMBI');
    await waitForServiceWorker(checker);

    // The network really cut (every request aborted): the shell from the service worker, the keys from IndexedDB.
    await cutNetwork(phone);
    await checker.goto('/');
    await checker.goto(`${link.pathname}${link.hash}`);
    const offline = await verdict();
    expect(offline).toMatchObject({ verdict: 'genuine', cancelChecked: 'false' });
    expect(offline.text).toContain('SMA NEGERI 8 JAMBI');
    await checker.getByTestId('letter-offline').waitFor();

    // One character of the signature changed: not genuine, with the reason, still offline.
    const token = link.hash.slice('#t='.length);
    const sig = token.split('.')[2]!;
    const forged = `${token.split('.').slice(0, 2).join('.')}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    await checker.goto('/');
    await checker.goto(`${link.pathname}#t=${forged}`);
    const fake = await verdict();
    expect(fake.verdict).toBe('fake');
    expect(['tampered', 'malformed']).toContain(fake.reason);
    expect(errors).toEqual([]);
    await Promise.all([kabidCtx.close(), kadisCtx.close(), phone.close()]);
  });
});
