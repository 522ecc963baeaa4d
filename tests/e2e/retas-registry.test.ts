/**
 * RETAS students against the registry on a tablet: a school list with a NIK column imported online is matched at
 * once (matched, NIK not found, no NIK); a student added on the spot with the network really cut is "to be matched
 * later", and matched when the network is back; the report lists the students the office must still match.
 */
import { describe, expect, it } from 'vitest';
import { studentKey } from '../../schema/retas/roster';
import { account, cutNetwork, eventually, newContext, residentsOf, restoreNetwork, sharedBrowser, signIn, waitForServiceWorker } from './helpers';
import { call, eventWithSignedLetter, push } from './retas-kit';

const OFFICE = '15.71';
const DATE = '2027-02-20';

/** 15 Feb 2010 → "15/02/2010", as schools write dates. */
const schoolDate = (iso: string) => iso.split('-').reverse().join('/');

describe('RETAS students matched against the registry', () => {
  const browser = sharedBrowser();

  it('matched when online, "later" while offline, matched on reconnect; the report lists the unmatched', async () => {
    const [known, typedLater] = residentsOf(OFFICE).filter((r) => r.birthDate <= '2010-02-20' && r.birthDate >= '1990-01-01').slice(-2);
    const { caseId, version, kabid, kabidCtx, kadisCtx } = await eventWithSignedLetter(
      browser(),
      OFFICE,
      { npsn: '10507773', name: 'SMA NEGERI 9 JAMBI', address: 'Jl. Uji Coba 9', shortName: 'SMAN 9' },
      { date: DATE, expectedStudents: 4, equipment: ['mobile_unit'] },
    );

    const ctx = await newContext(browser());
    const tab = await ctx.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    await signIn(tab, account('field_officer', OFFICE));
    await waitForServiceWorker(tab);
    expect((await call(tab, 'POST', `/api/retas/cases/${caseId}/acknowledgements`, {})).status).toBe(200);
    expect((await push(kabid, { type: 'action', caseId, action: 'confirm_ready', baseVersion: version, input: { officersConfirmed: true, equipmentConfirmed: true } })).status).toBe('applied');
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
