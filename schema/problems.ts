/**
 * Stable problem codes: the `code` member of every application/problem+json answer.
 * Clients branch on these, never on the message; never rename one, only add.
 */
export const PROBLEMS = {
  bad_json: { status: 400, title: 'Body is not valid JSON' },
  validation_failed: { status: 422, title: 'Input does not match the contract' },
  body_too_large: { status: 413, title: 'Body too large' },
  unsupported_media_type: { status: 415, title: 'Content-Type must be application/json' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  unauthenticated: { status: 401, title: 'Sign-in required' },
  session_expired: { status: 401, title: 'Session expired' },
  invalid_credentials: { status: 401, title: 'Wrong username or password' },
  too_many_attempts: { status: 429, title: 'Too many attempts, try again later' },
  forbidden_role: { status: 403, title: 'Your role may not do this' },
  forbidden_object: { status: 403, title: 'Not yours to see or change' },
  csrf_rejected: { status: 403, title: 'Cross-site request refused' },
  weak_password: { status: 422, title: 'Password too short or too common' },
  username_taken: { status: 409, title: 'Username already in use' },
  current_password_wrong: { status: 403, title: 'Current password is wrong' },
  self_lockout: { status: 409, title: 'You cannot disable yourself or remove your own admin role' },
  unknown_service: { status: 404, title: 'Unknown service' },
  case_not_found: { status: 404, title: 'Case not found' },
  receipt_not_ready: { status: 409, title: 'No receipt yet: the front office has not accepted the application' },
  case_exists: { status: 409, title: 'A case with this id already exists' },
  illegal_action: { status: 409, title: 'Action not allowed in the current state' },
  stale_version: { status: 409, title: 'The case has changed since you loaded it' },
  invalid_nik: { status: 422, title: 'NIK is not valid' },
  resident_not_found: { status: 404, title: 'Resident not found in the registry' },
  not_available: { status: 404, title: 'Not available in this environment' },
  // IKD activation and the device lifecycle (issue 3)
  identity_mismatch: { status: 422, title: 'NIK, KK number and mother\'s maiden name do not match the registry' },
  not_eligible: { status: 403, title: 'Not eligible for IKD (17+ or married, e-KTP recorded)' },
  ikd_case_open: { status: 409, title: 'An IKD application is already open for this NIK' },
  ikd_not_active: { status: 403, title: 'The IKD account is not active' },
  assurance_insufficient: { status: 403, title: 'Sign in with PIN and device first' },
  activation_link_invalid: { status: 400, title: 'Activation link is not valid' },
  activation_link_used: { status: 410, title: 'Activation link was already used' },
  activation_link_expired: { status: 410, title: 'Activation link has expired' },
  activation_link_dead: { status: 410, title: 'Activation link closed after too many wrong PINs' },
  activation_link_revoked: { status: 410, title: 'Activation link was replaced by a newer one' },
  pin_wrong: { status: 403, title: 'Wrong PIN' },
  pin_locked: { status: 429, title: 'PIN entry locked for a while after wrong PINs' },
  pin_weak: { status: 422, title: 'PIN too easy to guess' },
  challenge_invalid: { status: 400, title: 'Sign-in challenge unknown, used or expired' },
  device_key_invalid: { status: 422, title: 'Device key is not a valid P-256 public key' },
  device_signature_invalid: { status: 403, title: 'Device signature does not verify' },
  device_not_bound: { status: 403, title: 'This device is not bound to the IKD account' },
  device_blocked: { status: 403, title: 'This device is blocked' },
  device_in_use: { status: 409, title: 'This device key is already registered' },
  binding_nonce_invalid: { status: 400, title: 'Binding QR code is not valid' },
  binding_nonce_expired: { status: 410, title: 'Binding QR code has expired or was used' },
  slot_not_found: { status: 404, title: 'Video-call slot not found' },
  slot_full: { status: 409, title: 'Video-call slot is full' },
  slot_unavailable: { status: 409, title: 'Video-call slot can no longer be booked' },
  slot_outside_hours: { status: 422, title: 'Slot lies outside the office service hours' },
  slot_overlap: { status: 409, title: 'The operator already has a slot at that time' },
  slot_booked: { status: 409, title: 'Slot has bookings and cannot be cancelled' },
  // Write path (issue 7)
  internal: { status: 500, title: 'Internal error; quote the request id when reporting it' },
  case_not_arrived: { status: 409, title: 'The case has not reached the server yet; the command is sent again later' },
  version_not_arrived: { status: 409, title: 'An earlier change to this case has not reached the server yet; the command is sent again later' },
  // Complaints (aduan), the IKM survey and the dashboards (issue 11)
  aduan_duplicate_source: { status: 409, title: 'This message or report was already filed as a complaint' },
  aduan_not_assignee: { status: 403, title: 'Only the assigned handler (or the head of division) may act at this stage' },
  aduan_assignee_invalid: { status: 422, title: 'The assignee is not an active complaint handler of this office' },
  aduan_merge_target: { status: 422, title: 'The ticket to merge into does not exist or is closed' },
  aduan_reopen_closed: { status: 409, title: 'The period to reopen this complaint is over' },
  aduan_tracking_unknown: { status: 404, title: 'No complaint with this tracking code' },
  aduan_storage_missing: { status: 503, title: 'File storage is not configured' },
  attachment_too_large: { status: 413, title: 'Attachment too large' },
  attachment_type: { status: 415, title: 'Attachment type not accepted' },
  webhook_signature_invalid: { status: 401, title: 'Webhook signature missing or wrong' },
  webhook_verify_failed: { status: 403, title: 'Webhook verification token wrong' },
  webhook_not_configured: { status: 503, title: 'Webhook secret not configured' },
  import_invalid: { status: 422, title: 'The import file could not be read' },
  ikm_invitation_invalid: { status: 404, title: 'Survey invitation not valid' },
  ikm_invitation_used: { status: 409, title: 'This survey invitation was already answered' },
  ikm_kiosk_invalid: { status: 403, title: 'Kiosk not registered or closed' },
  // Birth certificates through partners, attachments, documents and signatures (issue 10)
  partner_not_found: { status: 404, title: 'Partner organisation not found' },
  partner_name_taken: { status: 409, title: 'A partner with this name already exists in the office' },
  birth_attachments_pending: { status: 409, title: 'Some attachments have not been uploaded yet' },
  birth_requirements_missing: { status: 409, title: 'Required documents are missing' },
  attachment_not_found: { status: 404, title: 'Attachment not declared by any of your cases' },
  attachment_id_taken: { status: 409, title: 'Attachment id already used' },
  attachment_type_refused: { status: 415, title: 'File content is not JPEG, PNG, WebP or PDF' },
  attachment_mismatch: { status: 422, title: 'File differs from the one declared (size, type or SHA-256)' },
  reauth_required: { status: 401, title: 'Re-enter your password to sign' },
  certificate_not_found: { status: 404, title: 'Certificate not found' },
  certificate_not_ready: { status: 409, title: 'The certificate document is not ready yet' },
  document_link_invalid: { status: 403, title: 'Download link is not valid or has expired' },
  signature_service_failed: { status: 502, title: 'The signature service did not sign the document' },
  // Security hardening (issue 8): throttles that stop the attacker, client address, office without hours
  client_ip_missing: { status: 400, title: 'Client address unknown: the request did not come through Cloudflare' },
  identity_check_locked: { status: 429, title: 'Online identity check paused for this NIK after repeated mismatches; visit the office counter' },
  office_without_hours: { status: 422, title: 'An office needs service hours on at least one day' },
  // KTP-el counter finished (issue 12): pickup by receipt scan, blank stock
  receipt_invalid: { status: 422, title: 'This is not a genuine KTP-el receipt (forged, altered or unreadable)' },
  receipt_expired: { status: 410, title: 'The KTP-el receipt has expired' },
  receipt_other_office: { status: 403, title: 'The receipt was issued by another office' },
  receipt_already_collected: { status: 409, title: 'The card of this receipt was already collected' },
  card_not_ready: { status: 409, title: 'The card of this receipt is not printed and at the counter yet' },
  blank_serial_used: { status: 409, title: 'This blank serial is already recorded as used or spoiled' },
  // RETAS (issue 12)
  school_not_found: { status: 404, title: 'Not a school this office keeps' },
  // RETAS letter, acknowledgements and the offline roster (issue 12)
  retas_officer_invalid: { status: 422, title: 'Not an active field officer of this office' },
  retas_not_ready: { status: 409, title: 'The assignment letter is not issued or not every officer has acknowledged it' },
  retas_not_assigned: { status: 403, title: 'You are not an officer on this assignment letter' },
  retas_not_recording: { status: 409, title: 'This RETAS event is not open for recording' },
  retas_letter_invalid: { status: 422, title: 'Not a genuine assignment letter (forged, altered or unreadable)' },
  student_not_eligible: { status: 422, title: 'The student is not of age for recording on this date' },
  // RETAS remaining work (issue 12): the office's early-recording period
  retas_early_months_invalid: { status: 422, title: 'The RETAS early-recording period must be 0 to 12 whole months' },
  // Birth attachments in parts (issue 10): resumable chunked upload
  upload_part_invalid: { status: 422, title: 'No such part of this file, or the part has the wrong length' },
  upload_parts_missing: { status: 409, title: 'Some parts of the file have not arrived yet' },
} as const satisfies Record<string, { status: number; title: string }>;
export type ProblemCode = keyof typeof PROBLEMS;

/** Shape of an application/problem+json body (RFC 9457) with our stable code. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  errors?: { path: string; message: string }[];
  [extra: string]: unknown;
}
