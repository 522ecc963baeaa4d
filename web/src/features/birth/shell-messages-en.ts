/** English of shell-messages.ts (birth): loaded with the English dictionary (i18n/en.ts), never with an Indonesian first screen. */
import type { ProblemCode } from '../../../../schema/problems';
import type { BirthUiProblemCode, birthShellId } from './shell-messages';

export const birthShellEn: Record<keyof typeof birthShellId, string> = {
  'nav.birth': 'Birth certificates',
};

export const birthEnProblems: Partial<Record<ProblemCode | BirthUiProblemCode, string>> = {
  partner_not_found: 'Partner not found.',
  partner_name_taken: 'That partner name is already used.',
  birth_attachments_pending: 'Some attachments have not been uploaded yet.',
  birth_requirements_missing: 'Required documents are missing.',
  attachment_not_found: 'Attachment not found (its file may not have been sent yet).',
  attachment_id_taken: 'Attachment number already used.',
  attachment_type_refused: 'The file is not a JPEG, PNG, WebP photo or a PDF.',
  attachment_too_large: 'File too large (at most 5 MB).',
  attachment_mismatch: 'The file differs from the one recorded in the application.',
  reauth_required: 'Enter your password again to sign.',
  current_password_wrong: 'Wrong password.',
  certificate_not_found: 'Certificate not found.',
  certificate_not_ready: 'The certificate document is not ready yet.',
  document_link_invalid: 'Download link not valid or expired.',
  signature_service_failed: 'The electronic signature service failed to sign.',
  // Chunked upload (issue 10)
  upload_part_invalid: 'A part of the file does not fit; the file is sent again from the start.',
  upload_parts_missing: 'Some parts of the file have not arrived yet; the upload goes on.',
  // Abandoned chunked uploads swept (issue 10)
  upload_restarted: 'The parts already sent were deleted by the server after more than 7 days without the rest; the file is sent again from the start.',
};
