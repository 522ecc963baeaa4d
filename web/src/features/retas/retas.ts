/** The RETAS cases this device knows (cache + outbox), labels, and who sees what (as worker/routes/retas-events.ts). */
import { createMemo } from 'solid-js';
import { retas } from '../../../../schema/workflows/retas';
import { db } from '../../db';
import { createLive } from '../../state/live';
import { useSync } from '../../state/sync';
import { deriveCases } from '../../sync/view';

export const wf = retas;

import type { RetasEventData as EventData } from '../../../../schema/workflows/retas';
export type { EventData };

export function useRetasCases() {
  const sync = useSync();
  const cached = createLive(() => db.cases.toArray(), []);
  return createMemo(() => deriveCases(cached(), sync.outbox()).filter((c) => c.service === retas.service));
}

export const stateLabel = (s: string) => retas.states[s as keyof typeof retas.states]?.label ?? { id: s, en: s };
export const actionLabel = (a: string) => retas.actions[a as keyof typeof retas.actions]?.label ?? { id: a, en: a };
