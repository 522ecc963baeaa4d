/**
 * What the RETAS SOP actions do beyond the state change (worker/hooks.ts): a proposal (and a revision that changes
 * the school) must name an active school the office keeps; the memo then carries the school's name as kept.
 */
import { findSchool } from '../db/retas';
import { ApiError } from '../errors';
import type { ActionHook } from '../hooks';

const schoolOfOffice: ActionHook = async (args) => {
  const npsn = args.input.schoolNpsn;
  if (typeof npsn !== 'string') return;
  const school = await findSchool(args.ctx.db, args.next.office_code, npsn);
  if (!school || !school.active) {
    throw new ApiError('school_not_found', `NPSN ${npsn} bukan sekolah mitra kantor ini / not a school this office keeps`);
  }
  return { data: { schoolName: school.name, schoolDistrict: school.district_code } };
};

/** action → hook, registered as HOOKS.retas in worker/hooks.ts. */
export const RETAS_HOOKS: Record<string, ActionHook> = { propose: schoolOfOffice, revise: schoolOfOffice };
