/** English of shell-messages.ts (RETAS): loaded with the English dictionary (i18n/en.ts), never with an Indonesian first screen. */
import type { ProblemCode } from '../../../../schema/problems';
import type { retasShellId } from './shell-messages';

export const retasShellEn: Record<keyof typeof retasShellId, string> = {
  'nav.retas': 'RETAS',
};

export const retasEnProblems: Partial<Record<ProblemCode, string>> = {
  retas_officer_invalid: 'An officer named is not an active field officer of this office.',
  retas_not_ready: 'The assignment letter is not issued or not every officer has acknowledged it.',
  retas_not_assigned: 'You are not on the assignment letter of this event.',
  retas_not_recording: 'This RETAS event is not open for recording.',
  retas_letter_invalid: 'This is not a genuine assignment letter (forged, altered or unreadable).',
  student_not_eligible: 'The student is not of age for recording on this date.',
  retas_early_months_invalid: 'The RETAS early-recording period must be 0 to 12 whole months.',
};
