/**
 * Every screen of the route table (web/src/routes.ts), for every role that may open it, in Indonesian and English,
 * at 360×740 and 1024×768: no WCAG 2.1 A/AA violation found by axe-core, and at 360 px with 200% text nothing is
 * lost or drawn over other text. A route this suite cannot open fails it,
 * so a screen added to the table later is checked without anyone listing it here.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { STAFF_ROLES, type StaffRole } from '../../schema/roles';
import { type AppRoute, ROUTES } from '../../web/src/routes';
import { axeAtBothSizes, axeRuleCount, textZoomProblems, trackNetwork } from './a11y';
import { account, newContext, residentsOf, sharedBrowser, signIn } from './helpers';

/** The staff office of this file: Tabalong, whose demo accounts no other browser test signs in with for every role. */
const OFFICE = '63.09';

interface Fixtures {
  ktpelCaseId: string;
  ikdCaseId: string;
  /** A complaint filed to this office (read by the complaint inbox roles). */
  aduanCaseId: string;
  /** A birth registration submitted by this office's partner clerk. */
  birthCaseId: string;
  /** `/v/resi#t=…` of the KTP-el case's receipt. */
  receiptPath: string;
  /** A RETAS event with this office's demo field officer on its letter draft. */
  retasCaseId: string;
}

/** Pushes commands through the signed-in page's own session, as the app does. */
async function push(page: Page, commands: unknown[]): Promise<string[]> {
  return page.evaluate(async (cmds) => {
    const res = await fetch('/api/sync/push', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ commands: cmds }) });
    return ((await res.json()) as { results: { status: string }[] }).results.map((r) => r.status);
  }, commands);
}

/** A concrete URL for each route pattern; a pattern without one makes the suite fail (it could not reach it). */
function urlOf(route: AppRoute, f: Fixtures): string | undefined {
  if (route.path === '*404') return '/halaman-yang-tidak-ada';
  if (route.path === '/v/resi') return f.receiptPath;
  const filled = route.path.replace(/^\/ktpel\/:id/, `/ktpel/${f.ktpelCaseId}`).replace(/^\/operator\/ikd\/:id/, `/operator/ikd/${f.ikdCaseId}`)
    .replace(/^\/aduan\/kotak\/:id/, `/aduan/kotak/${f.aduanCaseId}`)
    .replace(/^\/akta\/:id/, `/akta/${f.birthCaseId}`)
    .replace(/^\/retas\/:id/, `/retas/${f.retasCaseId}`);
  return filled.includes(':') || filled.includes('*') ? undefined : filled;
}

/**
 * Opens `url` and waits until the screen is there: its h1 rendered and the network quiet (lazy chunks, API reads).
 * Fails when the shell sent the user elsewhere (sign-in, not found) or the screen says the role may not use it.
 */
async function open(page: Page, net: ReturnType<typeof trackNetwork>, route: AppRoute, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.locator('main h1').first().waitFor({ timeout: 20_000 });
  await net.quiet();
  const at = new URL(page.url());
  const wanted = new URL(url, at.origin);
  if (at.pathname !== wanted.pathname) throw new Error(`${route.path}: opened ${url}, landed on ${at.pathname}`);
  if (route.path !== '*404' && (await page.getByTestId('not-found').count()) > 0) throw new Error(`${route.path}: "not found" at ${url}`);
  if ((await page.locator('[data-access=denied]').count()) > 0) throw new Error(`${route.path}: the screen refuses this role`);
}

/** axe at both sizes in the page's current language, then in the other one (switched in the app, no reload). */
async function checkBothLanguages(page: Page, where: string): Promise<string[]> {
  const found: string[] = [];
  for (let i = 0; i < 2; i++) {
    const lang = await page.locator('html').getAttribute('lang');
    found.push(...(await axeAtBothSizes(page, `${where} [${lang}]`)));
    found.push(...(await textZoomProblems(page, `${where} [${lang}]`)));
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction((before) => document.documentElement.lang !== before, lang);
  }
  return found;
}

describe('accessibility of every screen (axe-core, WCAG 2.1 A/AA)', () => {
  const browser = sharedBrowser();
  let fixtures: Fixtures;
  let residentContext: BrowserContext;
  const checked: string[] = [];

  beforeAll(async () => {
    // A KTP-el case accepted at the counter (so its receipt exists) and an IKD case registered by a resident.
    const fo = await newContext(browser());
    const page = await fo.newPage();
    await signIn(page, account('front_office', OFFICE));
    const adults = residentsOf(OFFICE).filter((r) => r.birthDate < '2000-01-01' && r.ektpRecorded && r.motherMaidenName.length >= 2);
    const applicant = adults[12]!;
    const ktpelCaseId = uuid7();
    expect(
      await push(page, [
        { id: uuid7(), type: 'create', caseId: ktpelCaseId, service: 'ktpel', input: { nik: applicant.nik, reason: 'rusak', channel: 'counter' } },
        { id: uuid7(), type: 'action', caseId: ktpelCaseId, action: 'accept', baseVersion: 1, input: {} },
      ]),
    ).toEqual(['applied', 'applied']);
    const receipt = await page.evaluate(async (id) => ((await (await fetch(`/api/cases/${id}/receipt`)).json()) as { receipt: { checkUrl: string } }).receipt, ktpelCaseId);
    const link = new URL(receipt.checkUrl);
    await fo.close();

    // A complaint filed on the public form's route, to this office.
    const anon = await newContext(browser());
    const form = await anon.newPage();
    await form.goto('/aduan', { waitUntil: 'domcontentloaded' });
    const aduanCaseId = uuid7();
    const filed = await form.evaluate(
      async (body) => {
        const res = await fetch('/api/aduan/public', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: res.status, json: (await res.json()) as unknown };
      },
      {
        office: OFFICE, commandId: uuid7(), caseId: aduanCaseId,
        input: { kind: 'pengaduan', subjectService: 'ktpel', title: 'Antrean lama', description: 'Antrean perekaman KTP-el sangat lama pagi ini.', privacy: 'anonim', trackingCode: 'a11yRoutesTrackingCode' + uuid7().replace(/-/g, '').slice(0, 10) },
      },
    );
    expect(filed.status, JSON.stringify(filed.json)).toBe(200);
    await anon.close();

    // A birth registration submitted by the office's partner clerk, as its uploader pushes it.
    const partner = await newContext(browser());
    const pp = await partner.newPage();
    await signIn(pp, account('partner_operator', OFFICE));
    const birthCaseId = uuid7();
    const mother = adults.find((a) => a.sex === 'P') ?? adults[3]!;
    expect(
      await push(pp, [
        {
          id: uuid7(), type: 'create', caseId: birthCaseId, service: 'birth',
          input: {
            child: { name: 'Siti Aminah', sex: 'P', birthDate: new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10), birthTime: '08:30', birthPlace: 'RSUD Tanjung', birthOrder: 1, weightGrams: 3100, lengthCm: 49 },
            mother: { nik: mother.nik, name: mother.name },
            kkNumber: mother.kkNumber,
            parentsMarriage: 'kawin_tercatat',
            reporter: { name: 'Bidan Rahmah', phone: '081234567014' },
            attachments: [],
          },
        },
      ]),
    ).toEqual(['applied']);
    await partner.close();

    // A RETAS event of the office: a school, the proposal, approval and the letter draft naming the demo officer.
    const heads = await newContext(browser());
    const kabid = await heads.newPage();
    await signIn(kabid, account('head_of_division', OFFICE));
    const put = await kabid.evaluate(async () => (await fetch('/api/retas/schools/30209191', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'SMA NEGERI 1 MURUNG PUDAK', address: 'Jl. Pendidikan 9', districtCode: '63.09.01' }) })).status);
    expect(put).toBe(200);
    const retasCaseId = uuid7();
    expect(await push(kabid, [{ id: uuid7(), type: 'create', caseId: retasCaseId, service: 'retas', input: { schoolNpsn: '30209191', schoolName: 'SMAN 1', date: '2027-02-10', startTime: '08:00', endTime: '12:00', expectedStudents: 90, officersWanted: 1, equipment: ['recording_kit'] } }])).toEqual(['applied']);
    const kadisCtx = await newContext(browser());
    const kadis = await kadisCtx.newPage();
    await signIn(kadis, account('head_of_office', OFFICE));
    expect(await push(kadis, [{ id: uuid7(), type: 'action', caseId: retasCaseId, action: 'approve', baseVersion: 1, input: {} }])).toEqual(['applied']);
    expect(await push(kabid, [{ id: uuid7(), type: 'action', caseId: retasCaseId, action: 'forward_letter', baseVersion: 2, input: { officerIds: [account('field_officer', OFFICE).id] } }])).toEqual(['applied']);
    await heads.close();
    await kadisCtx.close();

    residentContext = await newContext(browser());
    const phone = await residentContext.newPage();
    await phone.goto('/ikd', { waitUntil: 'domcontentloaded' });
    const r = adults.at(-8)!;
    const registered = await phone.evaluate(
      async (body) => {
        const res = await fetch('/api/ikd/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: res.status, json: (await res.json()) as { case?: { id: string } } };
      },
      { nik: r.nik, kkNumber: r.kkNumber, motherMaidenName: r.motherMaidenName, email: `a11y.${r.nik}@example.test`, phone: '081234567013', route: 'counter', commandId: uuid7() },
    );
    expect(registered.status, JSON.stringify(registered.json)).toBe(201);
    // The app's own register call (ikdApi) leaves this hint; without it the account page takes the phone for signed out.
    await phone.evaluate(() => localStorage.setItem('loket.residentSession', '1'));
    fixtures = { ktpelCaseId, ikdCaseId: registered.json.case!.id, aduanCaseId, birthCaseId, receiptPath: `${link.pathname}${link.hash}`, retasCaseId };
  });

  afterAll(async () => {
    await residentContext?.close();
    console.log(`a11y: ${checked.length} screen×role page loads checked, each at 2 sizes × 2 languages`);
  });

  /** Opens each of `routes` in one page of `context` and collects axe's findings. */
  async function sweep(context: BrowserContext, who: string, routes: readonly AppRoute[]): Promise<string[]> {
    const page = context.pages()[0] ?? (await context.newPage());
    const net = trackNetwork(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const found: string[] = [];
    for (const route of routes) {
      const url = urlOf(route, fixtures);
      if (!url) throw new Error(`the a11y suite cannot reach ${route.path}: give it a URL in urlOf()`);
      const started = Date.now();
      try {
        await open(page, net, route, url);
      } catch (err) {
        throw new Error(`${who} could not open ${route.path} (${url}): ${String(err)}`);
      }
      const loaded = Date.now();
      found.push(...(await checkBothLanguages(page, `${who} ${route.path}`)));
      if (process.env.LOKET_A11Y_TIMES) console.log(`${who} ${route.path}: open ${loaded - started} ms, axe ×4 ${Date.now() - loaded} ms`);
      checked.push(`${who} ${route.path}`);
    }
    expect(errors).toEqual([]);
    return found;
  }

  it('the checks can fail: axe names a missing alt text and label, the zoom check a too-wide box and covered text', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto('/login', { waitUntil: 'domcontentloaded' });
    await page.locator('main h1').waitFor();
    await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.innerHTML =
        '<img src="/favicon.svg" width="20" height="20"><input name="probe">' +
        '<p style="width: 30rem">Teks yang terlalu lebar untuk layar ponsel</p>' +
        '<p style="height: 1rem; margin: 0">Baris pertama</p><p style="height: 1rem; margin: 0">Baris kedua</p>';
      document.querySelector('main')!.prepend(probe);
    });
    const axe = (await axeAtBothSizes(page, 'probe')).join('\n');
    expect(axe).toContain('image-alt');
    expect(axe).toContain(': label ');
    const zoom = (await textZoomProblems(page, 'probe')).join('\n');
    expect(zoom).toContain('scrolls sideways');
    expect(zoom).toContain('text over text');
    console.log(`a11y: axe-core applies ${await axeRuleCount(page)} rules tagged ${'WCAG 2.0/2.1 A/AA'}`);
    await context.close();
  });

  /** A sweep's time grows with its screens: up to 15 s a screen (six checks each) on a loaded machine. */
  const sweepTimeout = (screens: number) => Math.max(120_000, screens * 15_000);
  // The sweeps below run two at a time (tests/e2e/vitest.config.ts maxConcurrency), each in its own context: a
  // page load mostly waits on the server and the network, so a second page keeps the two cores busy.
  const publicRoutes = ROUTES.filter((r) => r.access.kind === 'public');
  it.concurrent(`public screens (${publicRoutes.map((r) => r.path).join(' ')}) without an account`, async () => {
    const context = await newContext(browser());
    expect(await sweep(context, 'public', publicRoutes)).toEqual([]);
    await context.close();
  }, sweepTimeout(publicRoutes.length));

  it.concurrent('the resident’s own screens with a resident session', async () => {
    const routes = ROUTES.filter((r) => r.access.kind === 'resident');
    expect(await sweep(residentContext, 'resident', routes)).toEqual([]);
  }, sweepTimeout(ROUTES.filter((r) => r.access.kind === 'resident').length));

  const staffRoutes = (role: StaffRole) => ROUTES.filter((r) => r.access.kind === 'staff' && (r.access.roles as readonly StaffRole[]).includes(role));
  for (const role of STAFF_ROLES) {
    it.concurrent(`staff screens a ${role} opens (${staffRoutes(role).length})`, async () => {
      const context = await newContext(browser());
      const page = await context.newPage();
      await signIn(page, account(role, OFFICE));
      expect(await sweep(context, role, staffRoutes(role))).toEqual([]);
      await context.close();
    }, sweepTimeout(staffRoutes(role).length));
  }
});
