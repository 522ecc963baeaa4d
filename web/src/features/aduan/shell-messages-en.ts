/** English of shell-messages.ts (aduan): loaded with the English dictionary (i18n/en.ts), never with an Indonesian first screen. */
import type { ProblemCode } from '../../../../schema/problems';
import type { aduanShellId } from './shell-messages';

export const aduanShellEn: Record<keyof typeof aduanShellId, string> = {
  'nav.aduan': 'Complaints',
  'nav.dashboard': 'Dashboard',
  'aduan.publicLink': 'A complaint or suggestion? File it here (no account).',
};

export const aduanEnProblems: Partial<Record<ProblemCode, string>> = {
  aduan_duplicate_source: 'This message or report was already filed as a complaint.',
  aduan_not_assignee: 'This stage belongs to the assigned handler.',
  aduan_assignee_invalid: 'That person is not an active complaint handler of this office.',
  aduan_merge_target: 'The target ticket does not exist or is closed.',
  aduan_reopen_closed: 'The period to reopen this complaint is over.',
  aduan_tracking_unknown: 'Unknown tracking code. Please check it.',
  aduan_storage_missing: 'File storage is not set up.',
  attachment_too_large: 'Attachment too large.',
  attachment_type: 'Attachment type not accepted.',
  webhook_signature_invalid: 'Wrong webhook signature.',
  webhook_verify_failed: 'Wrong webhook verification token.',
  webhook_not_configured: 'Webhook not configured.',
  import_invalid: 'The import file could not be read.',
  ikm_invitation_invalid: 'Unknown or expired survey invitation.',
  ikm_invitation_used: 'This survey was already answered. Thank you.',
  ikm_kiosk_invalid: 'Survey kiosk not registered or closed.',
};
