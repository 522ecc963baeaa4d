/**
 * Issue 11 in Chromium: the admin sets the complaint escalation contact on the "Kantor" screen; a handler answers a
 * complaint with a PDF attached; the complainant, on a phone set to another zone, sees the tracking page's times in
 * the office's zone (WITA) and downloads the answer's file with the tracking code.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { newTrackingCode } from '../../schema/aduan/tracking';
import { uuid7 } from '../../schema/ids';
import { account, baseUrl, d1, eventually, newContext, sharedBrowser, signIn, stackFetch, staffTablet } from './helpers';
import { walkToFollowUp } from './aduan-kit';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('complaint escalation contact, answer files and the tracking page’s zone', () => {
  const browser = sharedBrowser();

  it('the admin sets the escalation contact on the office screen, with field errors in the reader’s language', async () => {
    const { context, page, errors } = await staffTablet(browser(), account('admin', '15.71'));
    await page.goto('/kantor');
    await page.getByTestId('office-escalation').waitFor();
    const email = page.locator('input[name=escalation-email]');
    const phone = page.locator('input[name=escalation-phone]');

    await email.fill('kabid.pelayanan');
    await phone.fill('12345');
    await page.getByTestId('office-save').click();
    await expect(page.locator('label:has(input[name=escalation-email]) .error').textContent()).resolves.toContain('alamat email lengkap');
    await expect(page.locator('label:has(input[name=escalation-phone]) .error').textContent()).resolves.toContain('WhatsApp');
    expect((await d1<{ escalation_email: string | null }>("SELECT escalation_email FROM aduan_settings WHERE office_code = '15.71'"))[0]?.escalation_email ?? null).not.toBe('kabid.pelayanan');

    await email.fill('kabid.pelayanan@jambikota.example');
    await phone.fill('081377778888');
    await page.getByTestId('office-save').click();
    await page.getByTestId('office-saved').waitFor();
    expect(await d1("SELECT escalation_email, escalation_phone FROM aduan_settings WHERE office_code = '15.71'")).toEqual([
      { escalation_email: 'kabid.pelayanan@jambikota.example', escalation_phone: '081377778888' },
    ]);
    // After a reload the screen shows what the server holds.
    await page.reload();
    await page.getByTestId('office-escalation').waitFor();
    await expect(email.inputValue()).resolves.toBe('kabid.pelayanan@jambikota.example');
    await expect(phone.inputValue()).resolves.toBe('081377778888');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the admin sets a handler’s work WhatsApp on the staff screen, with the field’s error in the reader’s language', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await signIn(page, account('admin', '15.71'));
    await page.goto('/staff');
    const handler = account('complaint_handler', '15.71').username;
    const item = page.locator(`[data-testid=staff-item][data-username="${handler}"]`);
    const phoneOf = async () => (await d1<{ phone: string | null }>(`SELECT s.phone FROM staff_contacts s JOIN users u ON u.id = s.user_id WHERE u.username = '${handler}'`))[0]?.phone ?? null;
    const edit = async (value: string) => {
      if (!(await item.locator('input[name=workWhatsapp]').count())) await item.locator('button', { hasText: /^(Ubah|Edit)$/ }).first().click();
      await item.locator('input[name=workWhatsapp]').fill(value);
      await item.locator('button[type=submit]').click();
    };
    await edit('0211234567');
    await expect(item.locator('label:has(input[name=workWhatsapp]) .error').textContent()).resolves.toContain('WhatsApp');
    expect(await phoneOf()).toBeNull();
    await edit('081255556666');
    await eventually(async () => (await phoneOf()) === '081255556666', 'work WhatsApp saved');
    // Removed again (empty field), so other tests' hand-overs stay email-only.
    await edit('');
    await eventually(async () => (await phoneOf()) === null, 'work WhatsApp removed');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('answers with a PDF; the complainant sees WITA times and downloads the file by code', async () => {
    const office = '63.09';
    // Filed as the public form does (the offline form is covered by aduan.test.ts).
    const code = newTrackingCode();
    const filed = await stackFetch('/api/aduan/public', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl() },
      body: JSON.stringify({ office, commandId: uuid7(), caseId: uuid7(), input: { subjectService: 'ktpel', description: 'KTP-el saya belum jadi sejak sebulan lalu.', privacy: 'biasa', email: 'pelapor.lampiran@example.test', trackingCode: code } }),
    });
    expect(filed.status, await filed.clone().text()).toBe(200);
    const { ticketNo, caseId } = (await filed.json()) as { ticketNo: string; caseId: string };

    const staff = await newContext(browser());
    const hp = await staff.newPage();
    const errors: string[] = [];
    hp.on('pageerror', (e) => errors.push(String(e)));
    await signIn(hp, account('complaint_handler', office));
    await hp.goto(`/aduan/kotak/${caseId}`);
    await hp.getByTestId('aduan-detail').waitFor();
    await walkToFollowUp(hp, office);

    // The answer, with a file that is not what it claims (refused) and a real PDF (kept).
    await hp.getByTestId('action-resolve').click();
    await hp.setInputFiles('input[name=replyFiles]', { name: 'bukan-pdf.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>bukan pdf</html>') });
    await expect(hp.getByTestId('reply-files').locator('.error').textContent()).resolves.toContain('bukan-pdf.pdf');
    await hp.setInputFiles('input[name=replyFiles]', { name: 'Surat Jawaban.pdf', mimeType: 'application/pdf', buffer: PDF });
    // Uploaded at once (online): the row then shows the name the server gave it.
    await hp.locator('[data-testid=reply-file][data-status=uploaded]').waitFor();
    await expect(hp.getByTestId('reply-file').textContent()).resolves.toContain('Surat-Jawaban.pdf');
    await hp.fill('textarea[name=resolution]', 'KTP-el sudah dicetak; surat jawaban terlampir.');
    await hp.getByTestId('action-submit').click();
    await eventually(async () => (await hp.getByTestId('detail-state').getAttribute('data-state')) === 'resolved', 'handler sees resolved');
    await expect(hp.getByTestId('detail-files-reply').textContent()).resolves.toContain('Surat-Jawaban.pdf');
    // The answer's email carries the file.
    const mail = await d1<{ attachments_json: string }>(`SELECT attachments_json FROM notifications WHERE case_id = '${caseId}' AND channel = 'email' AND attachments_json IS NOT NULL`);
    expect(JSON.parse(mail[0]!.attachments_json)).toEqual([expect.objectContaining({ filename: 'Surat-Jawaban.pdf', contentType: 'application/pdf' })]);

    // The complainant's phone is set to WIB; the office keeps WITA.
    const resident = await browser().newContext({ baseURL: baseUrl(), locale: 'id-ID', timezoneId: 'Asia/Jakarta', acceptDownloads: true });
    const rp = await resident.newPage();
    rp.on('pageerror', (e) => errors.push(String(e)));
    await rp.goto(`/aduan/lacak#kode=${code}`);
    await rp.getByTestId('track-view').waitFor();
    await expect(rp.getByTestId('track-ticket').textContent()).resolves.toBe(ticketNo);
    const times = await rp.getByTestId('track-history').locator('small').allTextContents();
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t).toMatch(/ WITA$/);
    const received = Number((await d1<{ received_at: number }>(`SELECT received_at FROM complaints WHERE case_id = '${caseId}'`))[0]!.received_at);
    const wita = new Date(received + 8 * 3_600_000);
    const hhmm = `${String(wita.getUTCHours()).padStart(2, '0')}.${String(wita.getUTCMinutes()).padStart(2, '0')}`;
    await expect(rp.locator('[data-testid=track-view] dd').nth(2).textContent()).resolves.toContain(`${hhmm} WITA`);

    const download = rp.waitForEvent('download');
    await rp.getByTestId('track-files').getByRole('button', { name: /Surat-Jawaban\.pdf/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('Surat-Jawaban.pdf');
    expect(await readFile((await file.path())!)).toEqual(PDF);
    expect(errors).toEqual([]);
    await resident.close();
    await staff.close();
  });
});
