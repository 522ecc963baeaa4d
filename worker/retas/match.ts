/**
 * RETAS students against the population registry: every NIK of a roster looked up in ONE query (the registry binds
 * them as one JSON array, never a parameter each), each student judged by the shared rule (schema/retas/roster.ts).
 */
import { registryMatch, type RegistryMatch } from '../../schema/retas/roster';
import type { Registry } from '../db/registry';

export interface MatchSubject {
  key: string;
  name: string;
  birthDate: string;
  nik?: string | null;
}

export async function matchStudents(registry: Pick<Registry, 'findResidents'>, students: readonly MatchSubject[]): Promise<Map<string, RegistryMatch>> {
  const niks = [...new Set(students.flatMap((s) => (s.nik ? [s.nik] : [])))];
  const found = niks.length ? await registry.findResidents(niks) : new Map();
  return new Map(students.map((s) => [s.key, registryMatch(s, s.nik ? found.get(s.nik) : undefined)]));
}

/** Counts for the audit entry of a match: never a NIK or a name. */
export function matchCounts(matches: Map<string, RegistryMatch>): Record<RegistryMatch, number> {
  const out: Record<RegistryMatch, number> = { matched: 0, differs: 0, not_found: 0, no_nik: 0 };
  for (const m of matches.values()) out[m]++;
  return out;
}
