/**
 * Issue 11 in Chromium, on a bad connection: a handler writes the answer to a complaint and attaches a PDF and a photo
 * with the network cut, presses send, and closes the tab. Nothing is lost: with the network back, a new tab finds the
 * answer as typed; each file uploads on its own (the photo's upload hangs and then drops, the PDF lands regardless),
 * and the answer reaches the server only once both files are in, naming both.
 */
import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newTrackingCode } from '../../schema/aduan/tracking';
import { uuid7 } from '../../schema/ids';
import { account, baseUrl, cutNetwork, d1, d1Count, eventually, newContext, restoreNetwork, sharedBrowser, signIn, stackFetch } from './helpers';
import { walkToFollowUp } from './aduan-kit';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
const ANSWER = 'KTP-el sudah dicetak; surat jawaban dan foto terlampir.';

describe('answer files on a bad connection', () => {
  const browser = sharedBrowser();

  it('keeps the typed answer and its files through a cut network and a closed tab; sends the answer only after both files', async () => {
    const office = '63.09';
    const filed = await stackFetch('/api/aduan/public', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl() },
      body: JSON.stringify({ office, commandId: uuid7(), caseId: uuid7(), input: { subjectService: 'ktpel', description: 'KTP-el saya belum jadi sejak sebulan lalu.', privacy: 'biasa', email: 'pelapor.luring@example.test', trackingCode: newTrackingCode() } }),
    });
    expect(filed.status, await filed.clone().text()).toBe(200);
    const { caseId } = (await filed.json()) as { caseId: string };

    const context = await newContext(browser());
    let hp = await context.newPage();
    const errors: string[] = [];
    const watch = (p: Page) => p.on('pageerror', (e) => errors.push(String(e)));
    watch(hp);
    await signIn(hp, account('complaint_handler', office));
    await hp.goto(`/aduan/kotak/${caseId}`);
    await hp.getByTestId('aduan-detail').waitFor();
    await walkToFollowUp(hp, office);

    // The network goes; the handler attaches two files, writes the answer and presses send.
    await hp.getByTestId('action-resolve').click();
    await cutNetwork(context);
    await hp.setInputFiles('input[name=replyFiles]', { name: 'Surat Jawaban.pdf', mimeType: 'application/pdf', buffer: PDF });
    await hp.setInputFiles('input[name=replyFiles]', { name: 'foto-loket.png', mimeType: 'image/png', buffer: PNG });
    await hp.fill('textarea[name=resolution]', ANSWER);
    // Each picked file is checked and stored in IndexedDB before it is listed: wait for both, not a fixed moment.
    await eventually(async () => (await hp.getByTestId('reply-file').count()) === 2, 'both files listed');
    expect(await hp.locator('[data-testid=reply-files] .error').count()).toBe(0);
    await hp.getByTestId('action-submit').click();
    await hp.getByTestId('answer-waiting').waitFor();
    for (const status of await hp.getByTestId('reply-file').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))) expect(status).toBe('queued');

    // The tab is closed while offline: only IndexedDB remembers the answer.
    await hp.close();
    expect(await d1Count(`SELECT count(*) AS n FROM complaint_attachments WHERE case_id = '${caseId}'`)).toBe(0);

    // The network returns, but the photo's first upload hangs (a stalled uplink) and then drops.
    await restoreNetwork(context);
    let held: Route | undefined;
    let photoTries = 0;
    await context.route('**/api/aduan/cases/*/reply-files*', async (route) => {
      if (route.request().url().includes('foto-loket') && ++photoTries === 1) {
        held = route;
        return;
      }
      await route.continue();
    });
    hp = await context.newPage();
    watch(hp);
    await hp.goto(`/aduan/kotak/${caseId}`);
    await hp.getByTestId('aduan-detail').waitFor();
    // The answer form comes back as typed, still waiting.
    await expect(hp.locator('textarea[name=resolution]').inputValue()).resolves.toBe(ANSWER);
    await hp.getByTestId('answer-waiting').waitFor();

    // The PDF lands while the photo hangs; the answer is not sent.
    await eventually(async () => (await d1Count(`SELECT count(*) AS n FROM complaint_attachments WHERE case_id = '${caseId}' AND filename = 'Surat-Jawaban.pdf'`)) === 1, 'PDF uploaded', 60_000);
    await eventually(() => held !== undefined, 'photo upload in flight', 30_000);
    await hp.locator('[data-testid=reply-file][data-status=uploaded]').waitFor();
    expect(await d1Count(`SELECT count(*) AS n FROM case_steps WHERE case_id = '${caseId}' AND action = 'resolve'`)).toBe(0);
    await expect(hp.getByTestId('detail-state').getAttribute('data-state')).resolves.toBe('follow_up');

    // The stalled upload drops; the photo goes again on its own and then the answer follows, naming both files.
    await held!.abort('connectionreset').catch(() => undefined);
    await eventually(async () => (await hp.getByTestId('detail-state').getAttribute('data-state')) === 'resolved', 'answer sent after both files', 90_000);
    expect(photoTries).toBe(2);
    const files = await d1<{ filename: string; purpose: string }>(`SELECT filename, purpose FROM complaint_attachments WHERE case_id = '${caseId}' ORDER BY filename`);
    expect(files).toEqual([{ filename: 'Surat-Jawaban.pdf', purpose: 'reply' }, { filename: 'foto-loket.png', purpose: 'reply' }]);
    const resolved = await d1<{ input_json: string }>(`SELECT input_json FROM case_steps WHERE case_id = '${caseId}' AND action = 'resolve'`);
    expect(resolved.length).toBe(1);
    expect(JSON.parse(resolved[0]!.input_json).resolution).toBe(ANSWER);
    await expect(hp.getByTestId('detail-files-reply').textContent()).resolves.toContain('Surat-Jawaban.pdf');
    // Nothing left on the device once the answer is sent.
    const left = await hp.evaluate(() => new Promise<number>((resolve, reject) => {
      const open = indexedDB.open('loket');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction(['aduanAnswers', 'aduanAnswerFiles']);
        const a = tx.objectStore('aduanAnswers').count();
        const f = tx.objectStore('aduanAnswerFiles').count();
        tx.oncomplete = () => { resolve(a.result + f.result); open.result.close(); };
      };
    }));
    expect(left).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
