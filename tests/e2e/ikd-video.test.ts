/**
 * IKD, video-call route, in real Chromium: the operator opens two slots inside service hours; the resident books one
 * on the phone, reschedules to the other, cancels and books again; the operator verifies on the call and shows the
 * officer QR; the phone (reopened with its camera on that QR) scans it and signs the QR text with its device key;
 * the operator approves; the activation email → link + PIN → own PIN → signed in.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KOTA_JAMBI } from '../../schema/offices';
import { WEEKDAYS, msToLocal } from '../../schema/service-time';
import { formatDay } from '../../web/src/features/office/hours-text';
import { account, d1, d1Count, eventually, signIn, waitForServiceWorker } from './helpers';
import { activationFromMailbox, eligibleResident, launchPhone, launchWithCamera, qrScreenshot, registerOnPhone, slotStart, tabletContext, tempDir } from './ikd';

async function openSlot(op: Page, startsAt: number): Promise<string> {
  const local = msToLocal('Asia/Jakarta', startsAt);
  await op.fill('input[name=date]', local.slice(0, 10));
  await op.fill('input[name=start]', local.slice(11, 16));
  await op.fill('input[name=minutes]', '15');
  await op.fill('input[name=capacity]', '2');
  await op.getByTestId('slot-create').click();
  await op.getByTestId('slot-created').waitFor();
  const slots = await d1<{ id: string }>(`SELECT id FROM video_slots WHERE starts_at = ${startsAt} AND status = 'open'`);
  expect(slots).toHaveLength(1);
  return slots[0]!.id;
}

const stateOf = (page: Page) => page.getByTestId('ikd-status').getAttribute('data-state');

describe('IKD by video call: slot booking → verify on the call → phone scans the officer QR → activation → signed in', () => {
  const dir = tempDir('loket-ikd-video-');
  const profile = tempDir('loket-phone-video-');
  let tablet: Browser;
  let phoneCtx: BrowserContext | undefined;
  beforeAll(async () => {
    tablet = await launchWithCamera(dir, 'tablet');
  });
  afterAll(async () => {
    await phoneCtx?.close();
    await tablet?.close();
  });

  it('activates a resident through a booked video call', async () => {
    const r = eligibleResident(1);
    const email = `ikd.video.${r.nik}@example.test`;
    const errors: string[] = [];

    // ── operator: two 15-minute slots inside the office's service hours ──
    const opCtx = await tabletContext(tablet);
    const op = await opCtx.newPage();
    op.on('pageerror', (e) => errors.push(String(e)));
    await signIn(op, account('operator', '15.71'));
    await op.goto('/operator/ikd/jadwal');
    const first = slotStart(Date.now());
    const second = slotStart(first, 15);
    const slotA = await openSlot(op, first);
    const slotB = await openSlot(op, second);
    // Outside service hours is refused: 22:00 local on the slot's day is after closing, and always in the future
    // (that day is today only while the office is still open; 03:00 failed when the test ran at night).
    await op.fill('input[name=start]', '22:00');
    await op.getByTestId('slot-create').click();
    expect(await op.getByTestId('slot-problem').getAttribute('data-code')).toBe('slot_outside_hours');
    // The form says what that date allows, from the office's hours as its admin keeps them.
    const day = msToLocal('Asia/Jakarta', second).slice(0, 10);
    const open = KOTA_JAMBI.hours.weekly[WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()]!];
    expect(await op.getByTestId('slot-day-hours').textContent()).toBe(`Jam layanan tanggal ini: ${formatDay(open)}`);

    // ── resident: register for a video call and book ──
    phoneCtx = await launchPhone(profile, dir, 'phone-1');
    let phone = phoneCtx.pages()[0] ?? (await phoneCtx.newPage());
    phone.on('pageerror', (e) => errors.push(String(e)));
    const caseId = await registerOnPhone(phone, { nik: r.nik, kkNumber: r.kkNumber, motherMaidenName: r.motherMaidenName, email, phone: r.phone ?? '081234567002', route: 'video' });
    await waitForServiceWorker(phone);
    const book = async (slotId: string) => {
      await phone.locator(`[data-testid=free-slot][data-slot-id="${slotId}"] [data-testid=book-slot]`).click();
      await eventually(async () => (await phone.getByTestId('booking').getAttribute('data-slot-id').catch(() => null)) === slotId, `booked ${slotId}`);
    };
    await book(slotA);
    expect(await stateOf(phone)).toBe('scheduled');
    // Reschedule to the other slot, then cancel, then book again.
    await phone.getByTestId('reschedule').click();
    await book(slotB);
    await phone.getByTestId('cancel-booking').click();
    await eventually(async () => (await stateOf(phone)) === 'registered', 'booking cancelled');
    await book(slotA);
    expect(await stateOf(phone)).toBe('scheduled');
    expect(await d1Count(`SELECT count(*) AS n FROM slot_bookings WHERE case_id = '${caseId}' AND status = 'booked' AND slot_id = '${slotA}'`)).toBe(1);
    expect(await d1Count(`SELECT count(*) AS n FROM slot_bookings WHERE case_id = '${caseId}' AND status = 'booked'`)).toBe(1);
    // Reminders (24 h / 1 h, email and WhatsApp) wait in the outbox for the booked slot, as far as they are still ahead.
    expect(await d1Count(`SELECT count(*) AS n FROM notifications WHERE case_id = '${caseId}' AND channel = 'whatsapp'`)).toBeGreaterThan(0);

    // ── operator: the call; the case is in the queue (today) or among the open applications ──
    await op.goto('/operator/ikd');
    const item = op.locator(`[data-testid=queue-item][data-case-id="${caseId}"]`);
    await item.waitFor({ timeout: 30_000 });
    expect(await item.getAttribute('data-kind')).toBe('video');
    await item.click();
    await op.waitForURL(`**/operator/ikd/${caseId}`);
    await op.getByTestId('verify-form').waitFor();
    expect(await op.isChecked('input[name=channel][value=video]')).toBe(true);
    // The call itself runs on WhatsApp: a wa.me link to the resident's number.
    expect(await op.getByTestId('wa-call').getAttribute('href')).toMatch(/^https:\/\/wa\.me\/628\d+$/);
    await op.check('input[name=documentsSeen]');
    await op.check('input[name=dataMatches]');
    await op.check('input[name=faceMatches]');
    await op.getByTestId('verify-submit').click();
    await eventually(async () => (await op.getByTestId('op-case-state').getAttribute('data-state')) === 'verified', 'verified');
    await op.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await d1Count(`SELECT count(*) AS n FROM slot_bookings WHERE case_id = '${caseId}' AND status = 'attended'`)).toBe(1);

    // The officer QR on the tablet; its screenshot becomes the phone's camera picture.
    await op.getByTestId('show-operator-qr').click();
    const png = await qrScreenshot(op, 'operator-qr');

    // ── the resident's phone, reopened (same profile: key store, cookie), camera on the tablet's screen ──
    await phoneCtx.close();
    phoneCtx = await launchPhone(profile, dir, 'phone-2', png);
    phone = phoneCtx.pages()[0] ?? (await phoneCtx.newPage());
    phone.on('pageerror', (e) => errors.push(String(e)));
    await phone.goto('/ikd/akun');
    await eventually(async () => (await stateOf(phone).catch(() => null)) === 'verified', 'the phone sees the verification');
    await phone.getByTestId('scan-operator-qr').click();
    await eventually(async () => (await stateOf(phone)) === 'bound', 'bound by scanning the officer QR', 40_000);
    expect(await d1Count(`SELECT count(*) AS n FROM devices WHERE nik = '${r.nik}' AND status = 'bound'`)).toBe(1);
    expect(await d1Count(`SELECT count(*) AS n FROM case_steps WHERE case_id = '${caseId}' AND action = 'bind_device' AND input_json LIKE '%operator_qr%'`)).toBe(1);

    // ── operator: the tablet follows the case while its QR is up, then approves ──
    await eventually(async () => (await op.getByTestId('op-case-state').getAttribute('data-state')) === 'bound', 'the tablet sees the binding');
    await op.getByTestId('approve-submit').click();
    await eventually(async () => (await op.getByTestId('op-case-state').getAttribute('data-state')) === 'approved', 'approved');
    await op.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });

    // ── activation ──
    const { path, pin } = await activationFromMailbox(email);
    await phone.goto(path);
    await phone.getByTestId('activation-pin').fill(pin);
    await phone.getByTestId('activation-check').click();
    await phone.getByTestId('activation-ok').waitFor();
    await phone.getByTestId('new-pin').fill('739164');
    await phone.getByTestId('confirm-pin').fill('739164');
    await phone.getByTestId('activate').click();
    await phone.waitForURL('**/ikd/akun', { timeout: 30_000 });
    await eventually(async () => (await phone.getByTestId('assurance').getAttribute('data-assurance')) === 'full', 'signed in');
    expect(await stateOf(phone)).toBe('active');
    expect(await d1Count(`SELECT count(*) AS n FROM cases WHERE id = '${caseId}' AND state = 'active'`)).toBe(1);

    // Ganti PIN, then "lepas perangkat" with the new PIN: the device is released and the phone signed out.
    await phone.locator('[data-testid=change-pin] summary').click();
    await phone.fill('input[name=currentPin]', '739164');
    await phone.fill('input[name=newPin]', '826401');
    await phone.locator('[data-testid=change-pin] button[type=submit]').click();
    await phone.getByTestId('pin-changed').waitFor();
    phone.once('dialog', (d) => void d.accept());
    await phone.locator('[data-testid=release-device] summary').click();
    await phone.fill('input[name=releasePin]', '826401');
    await phone.locator('[data-testid=release-device] button[type=submit]').click();
    await phone.waitForURL('**/ikd', { timeout: 30_000 });
    expect(await d1Count(`SELECT count(*) AS n FROM cases WHERE id = '${caseId}' AND state = 'released'`)).toBe(1);
    expect(await d1Count(`SELECT count(*) AS n FROM devices WHERE nik = '${r.nik}' AND status = 'released'`)).toBe(1);
    expect(await d1Count(`SELECT count(*) AS n FROM sessions WHERE subject_id = '${r.nik}' AND revoked_at IS NULL`)).toBe(0);

    expect(errors).toEqual([]);
    await opCtx.close();
  });
});
