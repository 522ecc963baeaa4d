/**
 * RETAS students against the registry on a tablet: a school list with a NIK column imported online is matched at
 * once (matched, NIK not found, no NIK); a student added on the spot with the network really cut is "to be matched
 * later", and matched when the network is back; the report lists the students the office must still match.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../schema/demo';
import { uuid7 } from '../../schema/ids';
import { studentKey } from '../../schema/retas/roster';
import { account, baseUrl, cutNetwork, eventually, newContext, residentsOf, restoreNetwork, sharedBrowser, signIn, waitForServiceWorker } from './helpers';

const OFFICE = '15.71';
const NPSN = '10507773';
const DATE = '2027-02-20';

async function call(page: Page, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const res = await page.request.fetch(path, { method, headers: { origin: baseUrl(), 'content-type': 'application/json' }, ...(body === undefined ? {} : { data: JSON.stringify(body) }) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try { json = JSON.parse(text) as Record<string, unknown>; } catch { /* CSV */ }
  return { status: res.status(), json, text };
}
async function push(page: Page, cmd: Record<string, unknown>): Promise<{ status: string; case?: { version: number } }> {
  const { json } = await call(page, 'POST', '/api/sync/push', { commands: [{ id: uuid7(), ...cmd }] });
  return (json.results as { status: string; case?: { version: number } }[])[0]!;
}
/** 15 Feb 2010 → "15/02/2010", as schools write dates. */
const schoolDate = (iso: string) => iso.split('-').reverse().join('/');

describe('RETAS students matched against the registry', () => {
  const browser = sharedBrowser();

  it('matched when online, "later" while offline, matched on reconnect; the report lists the unmatched', async () => {
    const [known, typedLater] = residentsOf(OFFICE).filter((r) => r.birthDate <= '2010-02-20' && r.birthDate >= '1990-01-01').slice(-2);
    const kabidCtx = await newContext(browser());
    const kabid = await kabidCtx.newPage();
    await signIn(kabid, account('head_of_division', OFFICE));
    const kadisCtx = await newContext(browser());
    const kadis = await kadisCtx.newPage();
    await signIn(kadis, account('head_of_office', OFFICE));
    expect((await call(kabid, 'PUT', `/api/retas/schools/${NPSN}`, { name: 'SMA NEGERI 9 JAMBI', address: 'Jl. Uji Coba 9', districtCode: '15.71.01' })).status).toBe(200);
    const caseId = uuid7();
    expect((await push(kabid, { type: 'create', caseId, service: 'retas', input: { schoolNpsn: NPSN, schoolName: 'SMAN 9', date: DATE, startTime: '07:30', endTime: '14:00', expectedStudents: 4, officersWanted: 1, equipment: ['mobile_unit'] } })).status).toBe('applied');
    let v = (await push(kadis, { type: 'action', caseId, action: 'approve', baseVersion: 1, input: {} })).case!.version;
    const officerId = account('field_officer', OFFICE).id;
    v = (await push(kabid, { type: 'action', caseId, action: 'forward_letter', baseVersion: v, input: { officerIds: [officerId] } })).case!.version;
    const signed = await call(kadis, 'POST', `/api/retas/cases/${caseId}/letter/sign`, { password: DEMO_PASSWORD, version: v });
    expect(signed.status).toBe(200);

    const ctx = await newContext(browser());
    const tab = await ctx.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    await signIn(tab, account('field_officer', OFFICE));
    await waitForServiceWorker(tab);
    expect((await call(tab, 'POST', `/api/retas/cases/${caseId}/acknowledgements`, {})).status).toBe(200);
    expect((await push(kabid, { type: 'action', caseId, action: 'confirm_ready', baseVersion: signed.json.version as number, input: { officersConfirmed: true, equipmentConfirmed: true } })).status).toBe('applied');
    await eventually(async () => {
      await tab.goto(`/retas/${caseId}`);
      return (await tab.getByTestId('case-state').getAttribute('data-state', { timeout: 15_000 }).catch(() => null)) === 'published';
    }, 'published event pulled to the tablet', 60_000);
    await tab.goto(`/retas/${caseId}/rekam`);
    await tab.getByTestId('roster-sync').waitFor();

    // The school's list with a NIK column: one known to the registry, one unknown, one without.
    const unknown = { name: 'Siswa Tak Terdaftar', birthDate: '2009-03-03', nik: '1571010303090999' };
    const noNik = { name: 'Siswa Tanpa Nik', birthDate: '2009-04-04' };
    const csv = `Nama,Tanggal Lahir,NIK\n"${known!.name}",${schoolDate(known!.birthDate)},${known!.nik}\n${unknown.name},${schoolDate(unknown.birthDate)},${unknown.nik}\n${noNik.name},${schoolDate(noNik.birthDate)},\n`;
    await tab.locator('summary', { hasText: 'Impor' }).click();
    await tab.getByTestId('csv').setInputFiles({ name: 'siswa.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await tab.getByTestId('import-result').getByText('3 siswa diimpor.').waitFor();
    const flag = (s: { name: string; birthDate: string }) => tab.locator(`[data-testid=student][data-key="${studentKey(s)}"] [data-testid=registry]`);
    await flag(known!).and(tab.locator('[data-flag=matched]')).waitFor();
    await flag(unknown).and(tab.locator('[data-flag=not_found]')).waitFor();
    await flag(noNik).and(tab.locator('[data-flag=no_nik]')).waitFor();

    // Offline: a student typed on the spot with a NIK waits to be matched; every student is recorded.
    await cutNetwork(ctx);
    await tab.locator('summary', { hasText: 'Tambah' }).click();
    await tab.getByTestId('add-name').fill(typedLater!.name);
    await tab.getByTestId('add-birth').fill(typedLater!.birthDate);
    await tab.getByTestId('add-nik').fill(typedLater!.nik);
    await tab.getByTestId('add-submit').click();
    await flag(typedLater!).and(tab.locator('[data-flag=later]')).waitFor();
    expect(await flag(typedLater!).textContent()).toContain('Dicocokkan nanti');
    for (const s of [known!, unknown, noNik, typedLater!]) {
      await tab.locator(`[data-testid=student][data-key="${studentKey(s)}"] button[data-status=recorded]`).click();
    }
    await tab.locator('[data-testid=pending][data-count="4"]').waitFor();

    // The network is back: the marks go up and the typed NIK is matched.
    await restoreNetwork(ctx);
    await tab.evaluate(() => window.dispatchEvent(new Event('online')));
    await flag(typedLater!).and(tab.locator('[data-flag=matched]')).waitFor({ timeout: 30_000 });
    await tab.locator('[data-testid=pending][data-count="0"]').waitFor({ timeout: 30_000 });

    const report = await call(kabid, 'GET', `/api/retas/cases/${caseId}/report.csv`);
    expect(report.text).toContain('"belum_cocok_registri","2"');
    expect(report.text).not.toContain(known!.nik);
    const line = (name: string) => report.text.split('\r\n').find((l) => l.startsWith(`"${name}"`)) ?? '';
    expect(line(typedLater!.name)).toMatch(/"matched",""$/);
    expect(line(unknown.name)).toMatch(/"not_found","ya"$/);
    expect(line(noNik.name)).toMatch(/"no_nik","ya"$/);
    expect(errors).toEqual([]);
    await Promise.all([kabidCtx.close(), kadisCtx.close(), ctx.close()]);
  });
});
