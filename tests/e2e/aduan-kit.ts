/** Steps of the complaint browser tests that several files walk the same way. */
import type { Page } from 'playwright-core';
import { account, d1, eventually } from './helpers';

/**
 * On an open complaint's detail page, the signed-in handler of `office` verifies it, takes it on and skips the three
 * coordination stages with a reason, leaving it in follow-up (where an answer can be written).
 */
export async function walkToFollowUp(page: Page, office: string): Promise<void> {
  const me = (await d1<{ id: string }>(`SELECT id FROM users WHERE username = '${account('complaint_handler', office).username}'`))[0]!.id;
  const step = async (action: string, fill: (p: Page) => Promise<void>, state: string) => {
    await page.getByTestId(`action-${action}`).click();
    await fill(page);
    await page.getByTestId('action-submit').click();
    await eventually(async () => (await page.getByTestId('detail-state').getAttribute('data-state')) === state, `handler sees ${state}`);
  };
  await step('verify', async (p) => { await p.fill('input[name=category]', 'Layanan KTP-el'); await p.selectOption('select[name=priority]', 'sedang'); }, 'verified');
  await step('assign', async (p) => { await p.selectOption('select[name=assigneeId]', me); }, 'onsite_check');
  for (const [action, state] of [['skip_onsite_check', 'internal_coordination'], ['skip_internal_coordination', 'external_coordination'], ['skip_external_coordination', 'follow_up']] as const) {
    await step(action, async (p) => { await p.fill('textarea[name=skipReason]', 'Tidak diperlukan untuk aduan ini'); }, state);
  }
}
