/**
 * What the RETAS SOP actions do beyond the state change (worker/hooks.ts): a proposal (and a revision that changes
 * the school) must name an active school the office keeps; the memo then carries the school's name as kept. The
 * letter names active field officers of the office (kept with their names); publishing needs the signed letter and
 * every officer's acknowledgement of its copy (seed 001 step 4, "tanda terima salinan surat tugas").
 */
import { fieldOfficers, findLetter, findSchool, listAcknowledgements } from '../db/retas';
import { findOffice } from '../db/offices';
import { requireSignGrant } from '../documents/sign-grant';
import { ApiError } from '../errors';
import type { ActionHook } from '../hooks';

/**
 * A proposal (and a revision) takes the office's early-recording period as it stands then (the office's setting,
 * PATCH /api/offices/{code}); a school named must be one the office keeps, and the memo carries its name as kept.
 */
const schoolOfOffice: ActionHook = async (args) => {
  const npsn = args.input.schoolNpsn;
  const [office, school] = await Promise.all([
    findOffice(args.ctx.db, args.next.office_code),
    typeof npsn === 'string' ? findSchool(args.ctx.db, args.next.office_code, npsn) : Promise.resolve(undefined),
  ]);
  const period = { earlyMonths: office?.retas_early_months ?? 0 };
  if (typeof npsn !== 'string') return { data: period };
  if (!school || !school.active) {
    throw new ApiError('school_not_found', `NPSN ${npsn} bukan sekolah mitra kantor ini / not a school this office keeps`);
  }
  return { data: { schoolName: school.name, schoolDistrict: school.district_code, ...period } };
};

const officersOfOffice: ActionHook = async (args) => {
  const ids = args.input.officerIds as string[];
  const found = await fieldOfficers(args.ctx.db, args.next.office_code, ids);
  const missing = ids.filter((id) => !found.some((o) => o.id === id));
  if (missing.length) throw new ApiError('retas_officer_invalid', `${missing.length} petugas bukan petugas RETAS aktif kantor ini / not active field officers of this office`, { officerIds: missing });
  // In the order the division listed them: the letter prints them so.
  return { data: { officers: ids.map((id) => ({ id, name: found.find((o) => o.id === id)!.display_name })) } };
};

const readyToPublish: ActionHook = async (args) => {
  const [letter, acks] = await Promise.all([findLetter(args.ctx.db, args.next.id), listAcknowledgements(args.ctx.db, args.next.id)]);
  if (!letter) throw new ApiError('retas_not_ready', 'Surat tugas belum terbit / the assignment letter is not issued yet');
  const officers = (JSON.parse(args.next.data_json) as { officerIds?: string[] }).officerIds ?? [];
  const pending = officers.filter((id) => !acks.some((a) => a.officer_id === id));
  if (pending.length) throw new ApiError('retas_not_ready', `${pending.length} petugas belum menerima salinan surat tugas / officers have not acknowledged their copy`, { officerIds: pending });
};

/** The letter is signed only through its route (password re-entered, PDF issued): a push carries no grant. */
const signLetter: ActionHook = async (args) => {
  await requireSignGrant(args, `POST /api/retas/cases/${args.next.id}/letter/sign`);
  return { recordedInput: {} };
};

/** action → hook, registered as HOOKS.retas in worker/hooks.ts. */
export const RETAS_HOOKS: Record<string, ActionHook> = { propose: schoolOfOffice, revise: schoolOfOffice, forward_letter: officersOfOffice, confirm_ready: readyToPublish, sign_letter: signLetter };
