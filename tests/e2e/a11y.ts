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
