/** Accessibility checks for the browser tests: axe-core's WCAG 2.1 A/AA rules over the page as it is now. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** The rule tags issue 13 asks for: WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The two screen sizes every screen is checked at: a small phone and a tablet held sideways. */
export const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 1024, height: 768 },
] as const;

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Loads axe-core into the current document once (through the DevTools protocol, so a Content-Security-Policy
 * that forbids inline scripts does not stop it) and runs the WCAG rules; one line per violated rule.
 */
export async function axeViolations(page: Page, where: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })) }));
  }, WCAG_TAGS);
  return violations.map(
    (v) =>
      `${where}: ${v.id} (${v.impact ?? 'n/a'}) ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}]` : ''}`)
        .join(' | ')}`,
  );
}

/** How many rules axe-core applies for these tags (for docs/reliability.md). */
export async function axeRuleCount(page: Page): Promise<number> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    (tags) => (window as unknown as { axe: { getRules(tags: string[]): unknown[] } }).axe.getRules(tags).length,
    WCAG_TAGS,
  );
}

/** Checks the page at both sizes; the page stays loaded, only the viewport changes (CSS reflows, no reload). */
export async function axeAtBothSizes(page: Page, where: string): Promise<string[]> {
  const found: string[] = [];
  for (const vp of VIEWPORTS) {
    await page.setViewportSize(vp);
    found.push(...(await axeViolations(page, `${where} @${vp.width}×${vp.height}`)));
  }
  return found;
}

/**
 * Resolves once the page has made no request for `quietMs` (lazy chunks and API reads done). Playwright's
 * 'networkidle' waits a fixed 500 ms; this waits only as long as the page is busy.
 */
export function trackNetwork(page: Page): { quiet(quietMs?: number, timeoutMs?: number): Promise<void> } {
  let inFlight = 0;
  let lastChange = Date.now();
  const up = () => {
    inFlight++;
    lastChange = Date.now();
  };
  const down = () => {
    inFlight = Math.max(0, inFlight - 1);
    lastChange = Date.now();
  };
  page.on('request', up);
  page.on('requestfinished', down);
  page.on('requestfailed', down);
  // A navigation drops the old document's requests without finishing them.
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) inFlight = 0;
  });
  return {
    async quiet(quietMs = 150, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (inFlight === 0 && Date.now() - lastChange >= quietMs) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`network still busy after ${timeoutMs} ms (${inFlight} requests open)`);
    },
  };
}

/**
 * 200% text zoom at 360 px (WCAG 1.4.4 and 1.4.10): sets Chromium's default font size to 32 px, as a phone's
 * "large text" setting does, and reports content that is lost: a page wider than the screen, text outside it (unless
 * in a box that scrolls sideways), text cut off by a box that hides overflow, and text drawn over other text.
 * Fails too when the heading did not grow, i.e. the zoom did not reach the page.
 */
export async function textZoomProblems(page: Page, where: string): Promise<string[]> {
  await page.setViewportSize(VIEWPORTS[0]);
  const cdp = await page.context().newCDPSession(page);
  const headingPx = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main h1') ?? document.body).fontSize));
  const before = await headingPx();
  try {
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const after = await headingPx();
    const found = await page.evaluate(() => {
      const problems: string[] = [];
      const vw = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth > vw + 1) problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px wide on a ${vw} px screen)`);
      const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${Array.from(el.classList).join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
      const scrollsSideways = (el: Element | null): boolean => {
        for (let e = el; e && e !== document.body; e = e.parentElement) {
          const o = getComputedStyle(e).overflowX;
          if ((o === 'auto' || o === 'scroll') && e.scrollWidth > e.clientWidth) return true;
        }
        return false;
      };
      const texts: { node: Text; rects: DOMRect[] }[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const node = n as Text;
        const parent = node.parentElement;
        if (!parent || !node.data.trim() || parent.closest('.sr-only, .skip, script, style, [hidden], [aria-hidden="true"]')) continue;
        if (!parent.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0.5 && r.height > 0.5);
        if (rects.length === 0) continue;
        texts.push({ node, rects });
        for (const r of rects) {
          if ((r.right > vw + 1 || r.left < -1) && !scrollsSideways(parent)) {
            problems.push(`text outside the screen: ${describe(parent)}`);
            break;
          }
        }
        // A box that hides its overflow and is smaller than its content cuts the text off.
        for (let e: Element | null = parent; e && e !== document.body; e = e.parentElement) {
          const s = getComputedStyle(e);
          const hidesX = s.overflowX === 'hidden' || s.overflowX === 'clip';
          const hidesY = s.overflowY === 'hidden' || s.overflowY === 'clip';
          if ((hidesX && e.scrollWidth > e.clientWidth + 1) || (hidesY && e.scrollHeight > e.clientHeight + 1) || (s.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1)) {
            problems.push(`text cut off by ${describe(e)}`);
            break;
          }
        }
      }
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const hit = texts[i]!.rects.some((a) => texts[j]!.rects.some((b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2));
          if (hit) problems.push(`text over text: ${describe(texts[i]!.node.parentElement!)} and ${describe(texts[j]!.node.parentElement!)}`);
        }
      }
      return [...new Set(problems)];
    });
    if (!(after >= before * 1.9)) found.push(`the heading did not grow with the text size (${before} px → ${after} px)`);
    // LOKET_A11Y_SHOTS=1 keeps a picture of each failing screen in .tmp/a11y/ to look at.
    if (found.length > 0 && process.env.LOKET_A11Y_SHOTS) await page.screenshot({ path: `.tmp/a11y/${where.replace(/[^\w-]+/g, '_')}.png`, fullPage: true });
    return found.map((p) => `${where} @360 px, text 200%: ${p}`);
  } finally {
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 16, fixed: 13 } });
    await cdp.detach();
  }
}
