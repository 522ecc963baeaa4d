/** Who may see and act on a birth case beyond the office check: a partner clerk only on its own organisation's submissions. */
import type { CaseRow } from '../db/cases';
import type { Session } from '../middleware/session';

/** The partner a birth case was submitted through (set by the submit hook from the clerk's session, never from input). */
export function partnerOfCase(row: Pick<CaseRow, 'service' | 'data_json'>): string | null {
  if (row.service !== 'birth') return null;
  const data = JSON.parse(row.data_json) as { partnerId?: unknown };
  return typeof data.partnerId === 'string' ? data.partnerId : null;
}

/**
 * Office staff: true (the office check is the engine's). A partner clerk (role partner_operator): only birth cases
 * of their own partner (a clerk not attached to any partner sees none); other services are left to the role check.
 * @example partnerMayAccess({ ...s, roles: ['partner_operator'], partnerId: 'p1' }, birthCaseOfP2) // false
 */
export function partnerMayAccess(session: Pick<Session, 'roles' | 'partnerId' | 'subjectType'>, row: Pick<CaseRow, 'service' | 'data_json'>): boolean {
  if (session.subjectType !== 'staff' || !session.roles.includes('partner_operator')) return true;
  // Other services: a clerk has no step in them, and the role check answers (forbidden_role).
  if (row.service !== 'birth') return true;
  const partner = partnerOfCase(row);
  return partner !== null && session.partnerId !== undefined && partner === session.partnerId;
}
