/** What the resident's KTP-el screen keeps on the phone (Dexie ikdLocal): the draft being typed and the last list seen. */
import type { CaseView, IkdLocalValues } from '../../db';

export type KtpelDraft = IkdLocalValues['ktpelDraft'];

const dexie = async () => (await import('../../db')).db;

export async function loadDraft(): Promise<KtpelDraft | undefined> {
  return (await (await dexie()).ikdLocal.get('ktpelDraft'))?.value as KtpelDraft | undefined;
}

/** Saves the draft at every change; `undefined` removes it (sent). */
export async function saveDraft(d: KtpelDraft | undefined): Promise<void> {
  const db = await dexie();
  if (d) await db.ikdLocal.put({ key: 'ktpelDraft', value: d } as never);
  else await db.ikdLocal.delete('ktpelDraft');
}

export async function loadKnownCases(): Promise<{ cases: CaseView[]; fetchedAt: number } | undefined> {
  return (await (await dexie()).ikdLocal.get('ktpelCases'))?.value as { cases: CaseView[]; fetchedAt: number } | undefined;
}

export async function saveKnownCases(v: { cases: CaseView[]; fetchedAt: number }): Promise<void> {
  await (await dexie()).ikdLocal.put({ key: 'ktpelCases', value: v } as never);
}
