/** Who a resident session is (worker/auth/sessions.ts loadSubject): the registry's name and office, role resident. */
import type { Session } from '../middleware/session';
import { getAccount } from '../db/ikd';
import { registryFor } from '../db/registry';
import { workerEnv } from './env';

/**
 * The resident behind a session (subject id = NIK), or null to end the session: gone from the registry, or the
 * IKD blocked (a lost phone's session must not outlive the report even if a revocation was missed).
 */
export async function loadResidentSubject(db: D1Database, nik: string): Promise<Pick<Session, 'displayName' | 'officeCode' | 'roles'> | null> {
  const resident = await registryFor({ DB: db, PEPPER: workerEnv().PEPPER }).findResident(nik);
  if (!resident) return null;
  const account = await getAccount(db, nik);
  if (account?.status === 'blocked') return null;
  return { displayName: resident.name, officeCode: resident.officeCode, roles: ['resident'] };
}
