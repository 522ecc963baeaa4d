/** The birth cases this device knows (cache + outbox), the office's required documents cached for offline forms, labels. */
import { createMemo } from 'solid-js';
import type { Requirement } from '../../../../schema/contracts/birth';
import { birth } from '../../../../schema/workflows/birth';
import { api } from '../../api';
import { db } from '../../db';
import { createLive } from '../../state/live';
import { useSync } from '../../state/sync';
import { deriveCases } from '../../sync/view';

export const wf = birth;

export function useBirthCases() {
  const sync = useSync();
  const cached = createLive(() => db.cases.toArray(), []);
  return createMemo(() => deriveCases(cached(), sync.outbox()).filter((c) => c.service === birth.service));
}

export const stateLabel = (s: string) => birth.states[s as keyof typeof birth.states]?.label ?? { id: s, en: s };
export const actionLabel = (a: string) => birth.actions[a as keyof typeof birth.actions]?.label ?? { id: a, en: a };

const reqKey = (office: string) => `requirements:${office}`;

/** The office's list: fresh when online (and cached), else the cached copy; undefined if never fetched here. */
export async function loadRequirements(officeCode: string, online: boolean): Promise<Requirement[] | undefined> {
  if (online) {
    try {
      const { requirements } = await api<{ requirements: Requirement[] }>('/api/birth/requirements');
      await db.birthLists.put({ name: reqKey(officeCode), value: requirements, fetchedAt: Date.now() });
      return requirements;
    } catch {
      // fall back to the cached copy
    }
  }
  return (await db.birthLists.get(reqKey(officeCode)))?.value as Requirement[] | undefined;
}

/** Today on this device as YYYY-MM-DD (for the 60-day hint while typing; the server decides with the office's date). */
export function localToday(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
