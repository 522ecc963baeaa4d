/**
 * The complaint flow in Chromium: a resident files a complaint offline, it syncs once the network returns, a handler
 * walks it through the four stages of seed 004, the resident sees each status by tracking code and answers the
 * survey, and the head of division's dashboard shows the new score.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ikmScoreFromSums } from '../../schema/ikm';
import { account, d1, d1Count, eventually, newContext, sharedBrowser, signIn, waitForServiceWorker } from './helpers';

const OFFICE = '15.71';

/** A small real PNG (red square), so the phone-side shrink can decode it. */
function redPng(side = 16): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.concat(Array.from({ length: side }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(side * 3, Buffer.from([220, 30, 30]))])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

async function trackedState(page: Page, code: string): Promise<string | null> {
  // A new document each time: a change of the fragment alone would not load the page again.
  await page.goto('about:blank');
  await page.goto(`/aduan/lacak#kode=${code}`);
  await page.getByTestId('track-status').waitFor();
  return page.getByTestId('track-status').getAttribute('data-state');
}

describe('complaint, from an offline filing to the dashboard', () => {
  const browser = sharedBrowser();

  it('files offline, syncs, runs the four stages, is tracked by code, surveyed and scored', async () => {
    // ── the resident, no account, loses the network while filling the form ──
    const resident = await newContext(browser());
    const rp = await resident.newPage();
    const pageErrors: string[] = [];
    rp.on('pageerror', (e) => pageErrors.push(String(e)));
    await rp.goto('/aduan');
    await rp.getByTestId('aduan-form').waitFor();
    await waitForServiceWorker(rp);
    await resident.setOffline(true);

    await rp.selectOption('select[name=office]', OFFICE);
    await rp.selectOption('select[name=subjectService]', 'ktpel');
    await rp.fill('input[name=title]', 'KTP-el belum jadi');
    const description = 'Sudah tiga minggu KTP-el saya belum bisa diambil. <script>alert(1)</script>';
    await rp.fill('textarea[name=description]', description);
    await rp.fill('input[name=email]', 'pelapor.e2e@example.test');
    // A photo, shrunk on the phone while offline; it is uploaded with the complaint later.
    await rp.setInputFiles('input[name=photos]', { name: 'antrean.png', mimeType: 'image/png', buffer: redPng() });
    await rp.getByTestId('aduan-photos-chosen').waitFor();
    await rp.getByTestId('aduan-submit').click();
    const code = (await rp.getByTestId('tracking-code').textContent())!.trim();
    expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await expect(rp.getByTestId('aduan-status').textContent()).resolves.toMatch(/koneksi/);
    const hash = createHash('sha256').update(code).digest('hex');
    expect(await d1Count(`SELECT count(*) AS n FROM complaints WHERE tracking_hash = '${hash}'`)).toBe(0);

    // ── the network returns: the queued complaint goes out once ──
    await resident.setOffline(false);
    await eventually(async () => /Terkirim/.test((await rp.getByTestId('aduan-status').textContent()) ?? ''), 'complaint sent after reconnect');
    expect(await d1Count(`SELECT count(*) AS n FROM complaints WHERE tracking_hash = '${hash}'`)).toBe(1);
    expect(await d1Count(`SELECT count(*) AS n FROM complaint_attachments a JOIN complaints c ON c.case_id = a.case_id WHERE c.tracking_hash = '${hash}' AND a.content_type = 'image/jpeg'`)).toBe(1);
    const ticketNo = (await d1<{ ticket_no: string }>(`SELECT ticket_no FROM complaints WHERE tracking_hash = '${hash}'`))[0]!.ticket_no;
    expect(await trackedState(rp, code)).toBe('received');
    // Typed markup is shown as text.
    await expect(rp.getByTestId('track-description').textContent()).resolves.toBe(description);

    // ── the handler walks it through verification, assignment and the four stages ──
    const staff = await newContext(browser());
    const hp = await staff.newPage();
    hp.on('pageerror', (e) => pageErrors.push(String(e)));
    await signIn(hp, account('complaint_handler', OFFICE));
    await hp.goto('/aduan/kotak');
    await hp.locator(`[data-ticket="${ticketNo}"] a`).click();
    await hp.getByTestId('aduan-detail').waitFor();

    const steps: [string, (p: Page) => Promise<void>, string][] = [
      ['verify', async (p) => { await p.fill('input[name=category]', 'Layanan KTP-el'); await p.selectOption('select[name=priority]', 'sedang'); }, 'verified'],
      ['assign', async (p) => { await p.selectOption('select[name=assigneeId]', { index: 1 }); }, 'onsite_check'],
      ['finish_onsite_check', async (p) => { await p.fill('textarea[name=note]', 'Dicek di loket: blangko habis'); }, 'internal_coordination'],
      ['skip_internal_coordination', async (p) => { await p.fill('textarea[name=skipReason]', 'Tidak perlu rapat internal'); }, 'external_coordination'],
      ['finish_external_coordination', async (p) => { await p.fill('textarea[name=note]', 'Blangko diminta ke Dukcapil pusat'); }, 'follow_up'],
      ['resolve', async (p) => { await p.fill('textarea[name=resolution]', 'KTP-el sudah dicetak dan siap diambil di loket.'); }, 'resolved'],
    ];
    for (const [action, fill, state] of steps) {
      await hp.getByTestId(`action-${action}`).click();
      await fill(hp);
      await hp.getByTestId('action-submit').click();
      await eventually(async () => (await hp.getByTestId('detail-state').getAttribute('data-state')) === state, `handler sees ${state}`);
      // The resident sees the same status by the tracking code alone.
      expect(await trackedState(rp, code)).toBe(state);
    }
    await expect(rp.getByTestId('track-resolution').textContent()).resolves.toContain('siap diambil');
    const history = await rp.getByTestId('track-history').locator('li').count();
    expect(history).toBe(7);
    // Each stage change was told to the complainant by email (the channel they left).
    expect(await d1Count(`SELECT count(*) AS n FROM notifications n JOIN complaints c ON c.case_id = n.case_id WHERE c.tracking_hash = '${hash}' AND n.channel = 'email'`)).toBe(7);

    // ── the resident answers the survey from the tracking page ──
    await rp.getByTestId('track-survey').click();
    await rp.getByTestId('ikm-form').waitFor();
    const answers = [4, 3, 3, 4, 3, 4, 4, 3, 4];
    for (const [i, a] of answers.entries()) await rp.check(`input[name=u${i + 1}][value="${a}"]`);
    await rp.getByTestId('ikm-submit').click();
    await expect(rp.getByTestId('ikm-done').textContent()).resolves.toMatch(/Terima kasih/);

    // ── the head of division's dashboard shows the score computed from every complaint-survey answer ──
    const rows = await d1<Record<string, number>>(`SELECT u1, u2, u3, u4, u5, u6, u7, u8, u9 FROM ikm_responses WHERE office_code = '${OFFICE}' AND service = 'aduan'`);
    const sums = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => rows.reduce((s, r) => s + r[`u${i}`]!, 0));
    const expected = ikmScoreFromSums(sums, rows.length)!;
    const boss = await newContext(browser());
    const bp = await boss.newPage();
    bp.on('pageerror', (e) => pageErrors.push(String(e)));
    await signIn(bp, account('head_of_division', OFFICE));
    await bp.goto('/dasbor');
    await bp.getByTestId('ikm-dashboard').waitFor();
    await eventually(async () => ((await bp.getByTestId('ikm-score').textContent()) ?? '') === expected.score.toFixed(2).replace('.', ','), 'dashboard score');
    await expect(bp.getByTestId('ikm-grade').textContent()).resolves.toBe(expected.grade);
    await expect(bp.getByTestId('ikm-respondents').textContent()).resolves.toBe(String(rows.length));
    // The chart library arrives only now, on this staff screen, and draws beside the table.
    await eventually(async () => (await bp.getByTestId('ikm-chart').getAttribute('data-ready')) === '1', 'chart drawn');
    await expect(bp.getByTestId('ikm-elements').locator('tbody tr').count()).resolves.toBe(9);

    expect(pageErrors).toEqual([]);
    await Promise.all([resident.close(), staff.close(), boss.close()]);
  });
});
