/**
 * RETAS on tablets: an event taken to publication (the officer acknowledges the letter on the event page), then a
 * school day of 200 students recorded with the network really cut (requests aborted), a reload in the middle, and
 * the reconnect: every record in D1 exactly once. A second tablet records one of the same students offline; when
 * it reconnects the conflict is shown on it, and D1 keeps the first tablet's record and the second's as a conflict.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { studentKey } from '../../schema/retas/roster';
import { account, cutNetwork, d1, d1Count, eventually, newContext, restoreNetwork, sharedBrowser, signIn, waitForServiceWorker } from './helpers';
import { call, eventWithSignedLetter, push } from './retas-kit';

const OFFICE = '15.71';
const DATE = '2027-01-20';
const N = 200;
const students = Array.from({ length: N }, (_, i) => ({
  name: `Siswa Uji ${String(i + 1).padStart(3, '0')}`,
  nisn: String(3_000_000_000 + i).padStart(10, '0'),
  // All 17 by the recording date; day-month-year as schools write them.
  birth: `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/2009`,
}));
const csv = `No,Nama Siswa,NISN,Tanggal Lahir,Kelas,JK\n${students.map((s, i) => `${i + 1},${s.name},${s.nisn},${s.birth},XII-${(i % 4) + 1},${i % 2 ? 'P' : 'L'}`).join('\n')}\n`;
const keyOf = (i: number) => studentKey({ nisn: students[i]!.nisn, name: students[i]!.name, birthDate: '' });

async function tabletOnRoster(ctx: BrowserContext, caseId: string): Promise<Page> {
  const page = await ctx.newPage();
  await signIn(page, account('field_officer', OFFICE));
  await waitForServiceWorker(page);
  await page.goto(`/retas/${caseId}/rekam`);
  await page.getByTestId('roster-sync').waitFor({ timeout: 30_000 });
  return page;
}

describe('RETAS school day on tablets', () => {
  const browser = sharedBrowser();

  it('200 students recorded offline with a reload, synced exactly once; a second tablet on the same student sees the conflict', async () => {
    // ── the office's side, steps 1–4 (the SOP's own screens are exercised in the worker tests) ──
    const { caseId, version, officerId, kabid, kabidCtx, kadisCtx } = await eventWithSignedLetter(
      browser(),
      OFFICE,
      { npsn: '10507771', name: 'SMA NEGERI 7 JAMBI', address: 'Jl. Uji Coba 7', shortName: 'SMAN 7' },
      { date: DATE, expectedStudents: N, equipment: ['mobile_unit', 'recording_kit'] },
    );

    // ── tablet A: the officer acknowledges the letter on the event page, then the event is published ──
    const ctxA = await newContext(browser());
    const a = await ctxA.newPage();
    await signIn(a, account('field_officer', OFFICE));
    await waitForServiceWorker(a);
    await a.goto(`/retas/${caseId}`);
    await a.getByTestId('acknowledge').click();
    await a.locator(`[data-testid=acks] [data-officer="${officerId}"][data-acknowledged=yes]`).waitFor();
    expect((await push(kabid, { type: 'action', caseId, action: 'confirm_ready', baseVersion: version, input: { officersConfirmed: true, equipmentConfirmed: true } })).status).toBe('applied');
    // The public schedule lists it, without a person's name.
    await kabid.goto('/retas/jadwal');
    await kabid.getByTestId('public-events').getByText('SMA NEGERI 7 JAMBI').waitFor();
    expect(await kabid.getByTestId('public-events').textContent()).not.toContain(account('field_officer', OFFICE).displayName);

    // Tablet A opens the roster while online (the event is pulled into IndexedDB), imports the school's list.
    // The app syncs when it starts: a reload brings the published state into IndexedDB.
    await eventually(async () => {
      await a.reload();
      await a.getByTestId('case-state').waitFor({ timeout: 15_000 }).catch(() => undefined);
      return (await a.getByTestId('case-state').getAttribute('data-state').catch(() => null)) === 'published';
    }, 'published event pulled to tablet A', 60_000);
    await a.goto(`/retas/${caseId}/rekam`);
    await a.getByTestId('roster-sync').waitFor();
    await a.locator('summary', { hasText: 'Impor' }).click();
    await a.getByTestId('csv').setInputFiles({ name: 'siswa.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await a.getByTestId('import-result').getByText(`${N} siswa diimpor.`).waitFor();

    // ── the network goes away for the whole school day ──
    await cutNetwork(ctxA);
    const statusOf = (i: number) => (i % 20 === 3 ? 'absent' : i % 50 === 7 ? 'refused' : 'recorded');
    const mark = async (page: Page, i: number, status: string) => {
      await page.locator(`[data-testid=student][data-key="${keyOf(i)}"] button[data-status=${status}]`).click();
    };
    for (let i = 0; i < N / 2; i++) await mark(a, i, statusOf(i));
    await eventually(async () => (await a.getByTestId('pending').getAttribute('data-count')) === String(N / 2), 'first half stored');
    // A reload in the middle of the day, still offline: the shell from the service worker, the day from IndexedDB.
    await a.reload();
    await a.getByTestId('roster-sync').waitFor();
    expect(await a.getByTestId('pending').getAttribute('data-count')).toBe(String(N / 2));
    expect(await a.locator('[data-testid=student][data-state=pending]').count()).toBe(N / 2);
    for (let i = N / 2; i < N; i++) await mark(a, i, statusOf(i));
    // A problem needs a note.
    await a.locator(`[data-testid=student][data-key="${keyOf(5)}"] [data-testid=note]`).fill('Sidik jari kanan luka');
    await mark(a, 5, 'problem');
    await eventually(async () => (await a.getByTestId('pending').getAttribute('data-count')) === String(N + 1), 'whole day stored');
    expect(await d1Count(`SELECT count(*) AS n FROM retas_marks WHERE case_id = '${caseId}'`)).toBe(0);

    // ── tablet B (same officer, another tablet): student 0 offline as refused ──
    const ctxB = await newContext(browser());
    const b = await tabletOnRoster(ctxB, caseId);
    await b.locator('summary', { hasText: 'Tambah' }).click();
    await b.getByTestId('add-name').fill(students[0]!.name);
    await b.getByTestId('add-birth').fill('2009-01-01');
    await b.getByTestId('add-nisn').fill(students[0]!.nisn);
    await b.getByTestId('add-submit').click();
    await cutNetwork(ctxB);
    await mark(b, 0, 'refused');
    await eventually(async () => (await b.getByTestId('pending').getAttribute('data-count')) === '1', 'tablet B stored its mark');

    // ── tablet A reconnects: the whole day arrives exactly once ──
    await restoreNetwork(ctxA);
    await eventually(async () => (await a.getByTestId('pending').getAttribute('data-count')) === '0', 'tablet A sent everything', 90_000);
    expect(await d1Count(`SELECT count(*) AS n FROM retas_students WHERE case_id = '${caseId}'`)).toBe(N);
    expect(await d1Count(`SELECT count(*) AS n FROM retas_marks WHERE case_id = '${caseId}'`)).toBe(N + 1);
    expect(await d1Count(`SELECT count(*) AS n FROM retas_marks WHERE case_id = '${caseId}' AND outcome = 'applied'`)).toBe(N + 1);
    const problem = await d1<{ status: string; note: string }>(`SELECT status, note FROM retas_students WHERE case_id = '${caseId}' AND student_key = '${keyOf(5)}'`);
    expect(problem).toEqual([{ status: 'problem', note: 'Sidik jari kanan luka' }]);
    // A second round trip changes nothing (each mark answered already).
    expect(await a.getByTestId('sync-now').isDisabled()).toBe(true);

    // ── tablet B reconnects: its student 0 is a visible conflict; D1 keeps A's record and B's as a conflict ──
    await restoreNetwork(ctxB);
    const row = b.locator(`[data-testid=student][data-key="${keyOf(0)}"]`);
    await row.getByTestId('conflict').waitFor({ timeout: 60_000 });
    expect(await row.getByTestId('conflict').textContent()).toContain('Terekam');
    expect(await d1<{ status: string }>(`SELECT status FROM retas_students WHERE case_id = '${caseId}' AND student_key = '${keyOf(0)}'`)).toEqual([{ status: 'recorded' }]);
    expect(await d1Count(`SELECT count(*) AS n FROM retas_marks WHERE case_id = '${caseId}' AND outcome = 'conflict'`)).toBe(1);
    expect(await d1Count(`SELECT count(*) AS n FROM retas_students WHERE case_id = '${caseId}'`)).toBe(N);
    // B accepts A's record: nothing more is sent, the student shows as recorded.
    await row.getByTestId('keep-theirs').click();
    await eventually(async () => (await row.getAttribute('data-status')) === 'recorded', 'tablet B shows the other record');

    // The report counts what D1 holds.
    const report = await call(kabid, 'GET', `/api/retas/cases/${caseId}/roster`);
    const expected = { recorded: 0, absent: 0, refused: 0, problem: 1 };
    for (let i = 0; i < N; i++) if (i !== 5) expected[statusOf(i) as keyof typeof expected]++;
    expect(report.json.counts).toEqual(expected);

    for (const ctx of [kabidCtx, kadisCtx, ctxA, ctxB]) await ctx.close();
  });
});
