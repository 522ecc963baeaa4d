/**
 * IKD, counter route, the whole way in real Chromium: the resident registers on the phone (draft kept across a
 * reload; a wrong maiden name answers only "tidak cocok"), the phone shows its device QR, the operator's tablet
 * verifies the checklist and scans that QR with a (fake) camera, approves; the activation email comes out of the dev
 * mailbox; the phone opens the link, enters the activation PIN, sets its own PIN and is signed in with the device key.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, d1, d1Count, eventually, signIn, waitForServiceWorker } from './helpers';
import { activationFromMailbox, activationMails, deliverAndRead, eligibleResident, launchPhone, launchWithCamera, qrScreenshot, readMailbox, tabletContext, tempDir } from './ikd';

describe('IKD at the counter: register → verify → camera binding → activation email → own PIN → signed in; then PIN reset, block, unblock', () => {
  const dir = tempDir('loket-ikd-counter-');
  let phoneCtx: BrowserContext;
  let tablet: Browser | undefined;
  beforeAll(async () => {
    phoneCtx = await launchPhone(tempDir('loket-phone-'), dir, 'phone');
  });
  afterAll(async () => {
    await phoneCtx?.close();
    await tablet?.close();
  });

  it('activates a resident through the counter route', async () => {
    const r = eligibleResident(0);
    const email = `ikd.counter.${r.nik}@example.test`;
    const phoneNumber = r.phone ?? '081234567001';
    const phone = phoneCtx.pages()[0] ?? (await phoneCtx.newPage());
    const errors: string[] = [];
    phone.on('pageerror', (e) => errors.push(String(e)));

    // ── resident: the form is a draft that survives a reload ──
    await phone.goto('/ikd');
    await phone.getByTestId('ikd-register-link').click();
    await phone.waitForURL('**/ikd/daftar');
    await phone.fill('input[name=nik]', r.nik);
    await phone.fill('input[name=kkNumber]', r.kkNumber);
    await phone.fill('input[name=motherMaidenName]', 'Nama Yang Salah');
    await phone.getByTestId('draft-saved').waitFor();
    await phone.reload();
    await phone.getByTestId('draft-restored').waitFor();
    expect(await phone.inputValue('input[name=nik]')).toBe(r.nik);
    expect(await phone.inputValue('input[name=kkNumber]')).toBe(r.kkNumber);
    // The maiden name is not kept in a draft (the field says it is not stored): typed again after the reload.
    expect(await phone.inputValue('input[name=motherMaidenName]')).toBe('');
    await phone.fill('input[name=motherMaidenName]', 'Nama Yang Salah');

    // A wrong maiden name: "tidak cocok", and nothing says which field was wrong.
    await phone.fill('input[name=email]', email);
    await phone.fill('input[name=phone]', phoneNumber);
    await phone.check('input[name=route][value=counter]');
    await phone.getByTestId('ikd-register-submit').click();
    const answer = phone.getByTestId('match-result');
    await answer.waitFor();
    expect(await answer.getAttribute('data-match')).toBe('false');
    const said = (await answer.textContent()) ?? '';
    expect(said).toContain('tidak cocok');
    expect(said).not.toMatch(/nama ibu kandung (salah|berbeda)|ibu kandung tidak/i);
    expect(await d1Count(`SELECT count(*) AS n FROM cases WHERE service = 'ikd' AND resident_nik = '${r.nik}'`)).toBe(0);

    await phone.fill('input[name=motherMaidenName]', r.motherMaidenName);
    await phone.getByTestId('ikd-register-submit').click();
    await phone.waitForURL('**/ikd/akun', { timeout: 30_000 });
    expect(await phone.getByTestId('match-result').getAttribute('data-match')).toBe('true');
    const caseId = (await phone.getByTestId('ikd-case-id').textContent())!.trim();
    expect(await phone.getByTestId('ikd-status').getAttribute('data-state')).toBe('registered');
    // Registered: the draft (it held the maiden name) has left the phone.
    expect(await d1Count(`SELECT count(*) AS n FROM cases WHERE id = '${caseId}' AND state = 'registered'`)).toBe(1);
    await waitForServiceWorker(phone);

    // ── resident at the counter: shows the device QR ──
    await phone.getByTestId('show-device-qr').click();
    const png = await qrScreenshot(phone, 'device-qr');
    const thumbprint = (await phone.getByTestId('device-thumbprint').textContent())!.trim();
    expect(thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Number(await phone.getByTestId('device-qr').getAttribute('data-modules'))).toBeLessThanOrEqual(57); // QR version ≤ 10

    // ── the operator's tablet, its camera pointed at the phone ──
    tablet = await launchWithCamera(dir, 'tablet', png);
    const opCtx = await tabletContext(tablet);
    const op = await opCtx.newPage();
    op.on('pageerror', (e) => errors.push(String(e)));
    await signIn(op, account('operator', '15.71'));
    await op.getByTestId('tile-ikd').click();
    await op.waitForURL('**/operator/ikd');
    const item = op.locator(`[data-testid=queue-item][data-case-id="${caseId}"]`);
    await item.waitFor({ timeout: 30_000 });
    expect(await item.getAttribute('data-kind')).toBe('counter');
    await item.click();
    await op.waitForURL(`**/operator/ikd/${caseId}`);

    // The SOP checklist: all three attestations are needed.
    await op.getByTestId('verify-submit').click();
    await op.getByTestId('action-errors').waitFor();
    expect(await op.getByTestId('op-case-state').getAttribute('data-state')).toBe('registered');
    await op.check('input[name=documentsSeen]');
    await op.check('input[name=dataMatches]');
    await op.check('input[name=faceMatches]');
    await op.getByTestId('verify-submit').click();
    await eventually(async () => (await op.getByTestId('op-case-state').getAttribute('data-state')) === 'verified', 'verified on the tablet');
    await op.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });

    // Scan the phone's QR with the camera: the binding goes through the outbox.
    await op.getByTestId('scan-phone-qr').click();
    await eventually(async () => (await op.getByTestId('op-case-state').getAttribute('data-state')) === 'bound', 'bound on the tablet');
    await op.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await d1Count(`SELECT count(*) AS n FROM devices WHERE nik = '${r.nik}' AND status = 'bound' AND thumbprint = '${thumbprint}'`)).toBe(1);
    await eventually(async () => (await phone.getByTestId('ikd-status').getAttribute('data-state')) === 'bound', 'the phone sees it is bound');

    // Approve → the activation email.
    await op.getByTestId('approve-submit').click();
    await eventually(async () => (await op.getByTestId('op-case-state').getAttribute('data-state')) === 'approved', 'approved on the tablet');
    await op.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });
    await eventually(async () => (await phone.getByTestId('ikd-status').getAttribute('data-state')) === 'approved', 'the phone tells to open the email');

    const { path, pin, mail } = await activationFromMailbox(email);
    expect(mail.caseId).toBe(caseId);

    // ── resident: the link, the activation PIN, an own PIN ──
    await phone.goto(path);
    await phone.getByTestId('activation-pin').fill(pin);
    await phone.getByTestId('activation-check').click();
    await phone.getByTestId('activation-ok').waitFor();
    // A common PIN is refused on the phone before anything is sent.
    await phone.getByTestId('new-pin').fill('123456');
    expect(await phone.getByTestId('pin-verdict').getAttribute('data-ok')).toBe('false');
    expect(await phone.getByTestId('activate').isDisabled()).toBe(true);
    const ownPin = '482917';
    await phone.getByTestId('new-pin').fill(ownPin);
    await phone.getByTestId('confirm-pin').fill(ownPin);
    expect(await phone.getByTestId('pin-verdict').getAttribute('data-ok')).toBe('true');
    await phone.getByTestId('activate').click();

    // Signed in on this phone with NIK + PIN + a device-key signature over the server's challenge.
    await phone.waitForURL('**/ikd/akun', { timeout: 30_000 });
    await eventually(async () => (await phone.getByTestId('assurance').getAttribute('data-assurance')) === 'full', 'full-assurance session');
    expect(await phone.getByTestId('ikd-status').getAttribute('data-state')).toBe('active');
    await phone.locator('[data-testid=ikd-history] li[data-kind=signin]').first().waitFor();
    expect(await phone.locator('[data-testid=ikd-device][data-this=true]').getAttribute('data-status')).toBe('bound');

    expect(await d1Count(`SELECT count(*) AS n FROM cases WHERE id = '${caseId}' AND state = 'active'`)).toBe(1);
    expect(await d1Count(`SELECT count(*) AS n FROM ikd_accounts WHERE nik = '${r.nik}' AND status = 'active' AND pin_hash IS NOT NULL`)).toBe(1);
    const sessions = await d1<{ assurance: string }>(`SELECT assurance FROM sessions WHERE subject_type = 'resident' AND subject_id = '${r.nik}' AND revoked_at IS NULL`);
    expect(sessions.map((s) => s.assurance)).toContain('full');
    expect(activationMails(await deliverAndRead(), email)).toHaveLength(1);

    // Sign out, then sign in again on the bound phone with the own PIN.
    await phone.getByTestId('ikd-sign-out').click();
    await phone.waitForURL('**/ikd');
    await phone.getByTestId('ikd-signin-link').click();
    expect(await phone.inputValue('input[name=nik]')).toBe(r.nik);
    await phone.fill('input[name=pin]', '000000');
    await phone.getByTestId('ikd-signin-submit').click();
    expect(await phone.getByTestId('ikd-signin-problem').getAttribute('data-code')).toBe('pin_wrong');
    await phone.fill('input[name=pin]', ownPin);
    await phone.getByTestId('ikd-signin-submit').click();
    await phone.waitForURL('**/ikd/akun');
    await eventually(async () => (await phone.getByTestId('assurance').getAttribute('data-assurance')) === 'full', 'signed in again');

    // ── counter tasks ──
    // Forgotten PIN: the operator reissues the activation; the old PIN and every session stop working.
    const opTask = async (action: string, fill: Record<string, string>, serverState: string) => {
      // The tablet first shows its cached copy, then the server's current version; acting on the cached one is
      // a conflict (the case moved on while the phone activated), so wait for the fresh state.
      await op.reload();
      await eventually(async () => (await op.getByTestId('op-case-state').getAttribute('data-state')) === serverState, `tablet shows ${serverState}`);
      const form = op.getByTestId(`action-${action}`);
      await form.waitFor({ timeout: 30_000 });
      for (const [name, value] of Object.entries(fill)) {
        const field = form.locator(`[name=${name}]`);
        if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
        else await field.fill(value);
      }
      await form.locator('button[type=submit]').click();
    };
    await opTask('reissue_activation', { reason: 'forgot_pin', note: 'Lupa PIN, datang ke loket' }, 'active');
    await eventually(async () => (await op.getByTestId('op-case-state').getAttribute('data-state')) === 'approved', 'reissued');
    await op.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });
    const again = await activationFromMailbox(email);
    expect(again.pin).toMatch(/^\d{6}$/);
    expect(activationMails(await readMailbox(), email)).toHaveLength(2);
    await phone.goto('/ikd/akun');
    await phone.waitForURL('**/ikd', { timeout: 30_000 }); // the session ended with the reissue
    await phone.goto(again.path);
    await phone.getByTestId('activation-pin').fill(again.pin);
    await phone.getByTestId('activation-check').click();
    await phone.getByTestId('new-pin').fill('561938');
    await phone.getByTestId('confirm-pin').fill('561938');
    await phone.getByTestId('activate').click();
    await phone.waitForURL('**/ikd/akun', { timeout: 30_000 });
    await eventually(async () => (await phone.getByTestId('assurance').getAttribute('data-assurance')) === 'full', 'signed in with the new PIN');

    // A lost phone reported at the counter: blocked, the session is gone, sign-in refused.
    await opTask('block_device', { reportedVia: 'counter', reason: 'HP hilang, dilaporkan di loket' }, 'active');
    await eventually(async () => (await op.getByTestId('op-case-state').getAttribute('data-state')) === 'blocked', 'blocked');
    await op.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await d1Count(`SELECT count(*) AS n FROM devices WHERE thumbprint = '${thumbprint}' AND status = 'blocked'`)).toBe(1);
    await phone.goto('/ikd/akun');
    await phone.waitForURL('**/ikd', { timeout: 30_000 });
    await phone.goto('/ikd/masuk');
    await phone.fill('input[name=pin]', '561938');
    await phone.getByTestId('ikd-signin-submit').click();
    expect(await phone.getByTestId('ikd-signin-problem').getAttribute('data-code')).toBe('device_blocked');

    // Unblock: back to verified; the phone proves its identity again and shows a QR of a NEW key.
    await opTask('unblock', { reason: 'Pemohon membawa HP pengganti' }, 'blocked');
    await eventually(async () => (await op.getByTestId('op-case-state').getAttribute('data-state')) === 'verified', 'unblocked');
    await op.getByTestId('badge-unsynced').waitFor({ state: 'detached', timeout: 30_000 });
    await phone.goto('/ikd/lanjut');
    await phone.fill('input[name=nik]', r.nik);
    await phone.fill('input[name=kkNumber]', r.kkNumber);
    await phone.fill('input[name=motherMaidenName]', r.motherMaidenName);
    await phone.getByTestId('ikd-resume-submit').click();
    await phone.waitForURL('**/ikd/akun');
    await eventually(async () => (await phone.getByTestId('ikd-status').getAttribute('data-state')) === 'verified', 'verified again');
    await phone.getByTestId('show-device-qr').click();
    await phone.getByTestId('device-qr').waitFor();
    const newThumbprint = (await phone.getByTestId('device-thumbprint').textContent())!.trim();
    expect(newThumbprint).not.toBe(thumbprint);
    expect(await d1Count(`SELECT count(*) AS n FROM devices WHERE thumbprint = '${newThumbprint}' AND status = 'pending'`)).toBe(1);
    const reasons = await d1<{ action: string }>(`SELECT action FROM case_steps WHERE case_id = '${caseId}' ORDER BY version`);
    expect(reasons.map((x) => x.action)).toEqual(['register', 'verify', 'bind_device', 'approve', 'activate', 'reissue_activation', 'activate', 'block_device', 'unblock']);

    expect(errors).toEqual([]);
    await opCtx.close();
  });
});

