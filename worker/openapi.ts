/**
 * What integrators read in /api/openapi.json beyond the route contracts: each operation's stable operationId, the
 * security it really has (the session cookie, or none), the problem codes behind each 4xx answer, and the licence.
 * One table for every operation, so `npm test` (Redocly lint + tests/worker/openapi.test.ts) names a route added
 * without an entry here.
 */
import { PROBLEMS, type ProblemCode } from '../schema/problems';
import { SESSION_COOKIE } from './auth/sessions';

/** Who may call: anyone, or a holder of a staff or resident session (`loket_session` cookie). */
type Access = 'public' | 'session';

interface OperationFacts {
  id: string;
  access: Access;
  /** Problem codes this operation answers beyond the ones every route of its kind can (see `commonCodes`). */
  codes?: ProblemCode[];
}

/** Keyed by `METHOD path` as in the document. operationIds are part of the API: never rename one. */
export const OPERATIONS: Record<string, OperationFacts> = {
  'POST /api/auth/login': { id: 'authLogin', access: 'public', codes: ['invalid_credentials', 'too_many_attempts'] },
  'POST /api/auth/logout': { id: 'authLogout', access: 'session' },
  'GET /api/auth/me': { id: 'authMe', access: 'session' },
  'POST /api/auth/change-password': { id: 'authChangePassword', access: 'session', codes: ['current_password_wrong', 'weak_password', 'too_many_attempts'] },
  'GET /api/staff': { id: 'staffList', access: 'session' },
  'POST /api/staff': { id: 'staffCreate', access: 'session', codes: ['username_taken', 'weak_password'] },
  'PATCH /api/staff/{id}': { id: 'staffUpdate', access: 'session', codes: ['not_found', 'username_taken', 'self_lockout', 'weak_password'] },
  'GET /api/offices/{code}': { id: 'officeGet', access: 'session', codes: ['not_found'] },
  'PATCH /api/offices/{code}': { id: 'officeUpdate', access: 'session', codes: ['not_found', 'office_without_hours', 'retas_early_months_invalid'] },
  'GET /api/dev/mailbox': { id: 'devMailbox', access: 'public', codes: ['not_available'] },
  'POST /api/dev/deliver': { id: 'devDeliver', access: 'public', codes: ['not_available'] },
  'GET /api/services': { id: 'servicesList', access: 'public', codes: ['not_found'] },
  'GET /api/cases': { id: 'casesList', access: 'session' },
  'GET /api/cases/{id}': { id: 'caseGet', access: 'session', codes: ['case_not_found'] },
  'GET /api/cases/{id}/receipt': { id: 'caseReceipt', access: 'session', codes: ['case_not_found', 'receipt_not_ready'] },
  'POST /api/sync/push': { id: 'syncPush', access: 'session' },
  'GET /api/sync/pull': { id: 'syncPull', access: 'session' },
  'POST /api/registry/residents/lookup': { id: 'registryResident', access: 'session', codes: ['invalid_nik', 'resident_not_found'] },
  'POST /api/ikd/register': { id: 'ikdRegister', access: 'public', codes: ['identity_mismatch', 'not_eligible', 'ikd_case_open', 'invalid_nik', 'too_many_attempts', 'identity_check_locked'] },
  'POST /api/ikd/resume': { id: 'ikdResume', access: 'public', codes: ['identity_mismatch', 'case_not_found', 'invalid_nik', 'too_many_attempts'] },
  'POST /api/ikd/activation/verify': {
    id: 'ikdActivationVerify',
    access: 'public',
    codes: ['activation_link_invalid', 'activation_link_used', 'activation_link_expired', 'activation_link_dead', 'activation_link_revoked', 'pin_wrong', 'pin_locked'],
  },
  'POST /api/ikd/activation/complete': {
    id: 'ikdActivationComplete',
    access: 'public',
    codes: ['activation_link_invalid', 'activation_link_used', 'activation_link_expired', 'activation_link_dead', 'activation_link_revoked', 'pin_wrong', 'pin_locked', 'pin_weak', 'device_in_use', 'illegal_action'],
  },
  'POST /api/ikd/challenge': { id: 'ikdChallenge', access: 'public', codes: ['too_many_attempts'] },
  'POST /api/ikd/login': {
    id: 'ikdLogin',
    access: 'public',
    codes: ['challenge_invalid', 'pin_wrong', 'pin_locked', 'device_not_bound', 'device_blocked', 'device_signature_invalid', 'ikd_not_active', 'invalid_nik'],
  },
  'GET /api/ikd/me': { id: 'ikdMe', access: 'session', codes: ['assurance_insufficient'] },
  'GET /api/ikd/slots/free': { id: 'ikdSlotsFree', access: 'session' },
  'POST /api/ikd/booking': { id: 'ikdBook', access: 'session', codes: ['slot_not_found', 'slot_full', 'slot_unavailable', 'illegal_action', 'stale_version'] },
  'POST /api/ikd/booking/cancel': { id: 'ikdBookingCancel', access: 'session', codes: ['case_not_found', 'illegal_action', 'stale_version'] },
  'POST /api/ikd/device/key': { id: 'ikdDeviceKey', access: 'session', codes: ['case_not_found', 'device_key_invalid', 'device_in_use', 'illegal_action'] },
  'POST /api/ikd/device/bind': {
    id: 'ikdDeviceBind',
    access: 'session',
    codes: ['case_not_found', 'binding_nonce_invalid', 'binding_nonce_expired', 'device_signature_invalid', 'device_in_use', 'illegal_action', 'stale_version'],
  },
  'POST /api/ikd/device/release': { id: 'ikdDeviceRelease', access: 'session', codes: ['case_not_found', 'pin_wrong', 'pin_locked', 'illegal_action', 'stale_version'] },
  'POST /api/ikd/pin': { id: 'ikdPinChange', access: 'session', codes: ['pin_wrong', 'pin_locked', 'pin_weak', 'ikd_not_active', 'assurance_insufficient'] },
  'POST /api/ikd/slots': { id: 'ikdSlotCreate', access: 'session', codes: ['slot_outside_hours', 'slot_overlap'] },
  'GET /api/ikd/slots': { id: 'ikdSlotsList', access: 'session' },
  'POST /api/ikd/slots/{id}/cancel': { id: 'ikdSlotCancel', access: 'session', codes: ['slot_not_found', 'slot_booked'] },
  'POST /api/ikd/cases/{id}/binding-nonce': { id: 'ikdBindingNonce', access: 'session', codes: ['case_not_found', 'illegal_action'] },
  'GET /api/ikd/queue': { id: 'ikdQueue', access: 'session' },
  'POST /api/ikd/residents/match-attempts': { id: 'ikdMatchAttempts', access: 'session', codes: ['invalid_nik', 'resident_not_found'] },
  'GET /.well-known/jwks.json': { id: 'officeJwks', access: 'public', codes: ['not_found'] },
  'GET /api/ktp/blocked': { id: 'ktpBlockedDevices', access: 'public', codes: ['not_found'] },
  'GET /api/ktp/credential': { id: 'ktpCredential', access: 'session', codes: ['assurance_insufficient', 'device_not_bound', 'ikd_not_active', 'resident_not_found'] },
  'POST /api/ktp/verify': { id: 'ktpVerify', access: 'public', codes: ['too_many_attempts'] },
  'POST /api/ktp/device-status': { id: 'ktpDeviceStatus', access: 'public', codes: ['device_signature_invalid', 'challenge_invalid', 'too_many_attempts'] },
  // Complaints, the IKM survey and dashboards (issue 11)
  'POST /api/aduan/public': { id: 'aduanFile', access: 'public', codes: ['not_found', 'aduan_duplicate_source', 'too_many_attempts'] },
  'POST /api/aduan/track': { id: 'aduanTrack', access: 'public', codes: ['aduan_tracking_unknown', 'too_many_attempts'] },
  'POST /api/aduan/track/reopen': { id: 'aduanReopen', access: 'public', codes: ['aduan_tracking_unknown', 'aduan_reopen_closed', 'illegal_action', 'too_many_attempts'] },
  'GET /api/aduan/inbox': { id: 'aduanInbox', access: 'session' },
  'GET /api/aduan/cases/{id}': { id: 'aduanGet', access: 'session', codes: ['case_not_found'] },
  'GET /api/aduan/export.csv': { id: 'aduanExportCsv', access: 'session' },
  'GET /api/aduan/handlers': { id: 'aduanHandlers', access: 'session' },
  'GET /api/aduan/report.pdf': { id: 'aduanMonthlyReportPdf', access: 'session' },
  'GET /api/aduan/settings': { id: 'aduanSettingsGet', access: 'session' },
  'PUT /api/aduan/settings': { id: 'aduanSettingsUpdate', access: 'session' },
  'GET /api/aduan/whatsapp/webhook': { id: 'aduanWhatsappVerify', access: 'public', codes: ['webhook_verify_failed', 'webhook_not_configured'] },
  'POST /api/aduan/whatsapp/webhook': { id: 'aduanWhatsappWebhook', access: 'public', codes: ['webhook_signature_invalid', 'webhook_not_configured'] },
  'POST /api/aduan/import/lapor': { id: 'aduanImportLapor', access: 'session' },
  'GET /api/aduan/attachments/{id}': { id: 'aduanAttachmentGet', access: 'session', codes: ['not_found', 'aduan_storage_missing'] },
  'POST /api/aduan/photos': { id: 'aduanPhotoUpload', access: 'public', codes: ['not_found', 'attachment_type', 'attachment_too_large', 'too_many_attempts', 'aduan_storage_missing'] },
  // Complaint answer files (issue 11): uploaded by the handler, sent with the resolution, fetched by tracking code.
  'POST /api/aduan/cases/{id}/reply-files': { id: 'aduanReplyFileUpload', access: 'session', codes: ['case_not_found', 'illegal_action', 'aduan_not_assignee', 'attachment_type', 'attachment_too_large', 'aduan_storage_missing'] },
  'POST /api/aduan/track/files/{id}': { id: 'aduanTrackFile', access: 'public', codes: ['aduan_tracking_unknown', 'not_found', 'too_many_attempts', 'aduan_storage_missing'] },
  'POST /api/ikm/responses': { id: 'ikmRespond', access: 'public', codes: ['ikm_invitation_invalid', 'ikm_invitation_used', 'ikm_kiosk_invalid', 'too_many_attempts'] },
  'POST /api/ikm/invitations': { id: 'ikmInvitationsCreate', access: 'session' },
  'POST /api/ikm/kiosks': { id: 'ikmKioskOpen', access: 'session' },
  'POST /api/ikm/kiosks/close': { id: 'ikmKioskClose', access: 'session' },
  'GET /api/ikm/dashboard': { id: 'ikmDashboard', access: 'session' },
  'GET /api/ikm/export.csv': { id: 'ikmExportCsv', access: 'session' },
  'GET /api/dashboard/service-time': { id: 'serviceTimeDashboard', access: 'session', codes: ['unknown_service'] },
  'GET /api/dashboard/service-time.csv': { id: 'serviceTimeCsv', access: 'session', codes: ['unknown_service'] },
  // Birth certificates through partners (issue 10)
  'GET /api/birth/partners': { id: 'birthPartnersList', access: 'session' },
  'POST /api/birth/partners': { id: 'birthPartnerCreate', access: 'session', codes: ['partner_name_taken'] },
  'PATCH /api/birth/partners/{id}': { id: 'birthPartnerUpdate', access: 'session', codes: ['partner_not_found', 'partner_name_taken'] },
  'PUT /api/birth/clerks': { id: 'birthClerkAssign', access: 'session', codes: ['partner_not_found', 'not_found'] },
  'GET /api/birth/requirements': { id: 'birthRequirementsGet', access: 'session' },
  'PUT /api/birth/requirements': { id: 'birthRequirementsUpdate', access: 'session' },
  'PUT /api/birth/attachments/{id}': { id: 'birthAttachmentUpload', access: 'session', codes: ['attachment_not_found', 'attachment_too_large', 'attachment_type_refused', 'attachment_mismatch'] },
  'GET /api/birth/attachments/{id}': { id: 'birthAttachmentGet', access: 'session', codes: ['attachment_not_found'] },
  'POST /api/birth/sign': { id: 'birthSign', access: 'session', codes: ['reauth_required', 'too_many_attempts'] },
  'GET /api/birth/cases/{id}/certificates': { id: 'birthCertificates', access: 'session', codes: ['case_not_found'] },
  'POST /api/birth/certificates/{no}/issue': { id: 'birthCertificateIssue', access: 'session', codes: ['certificate_not_found', 'certificate_not_ready'] },
  'GET /api/documents/{token}': { id: 'documentDownload', access: 'public', codes: ['document_link_invalid', 'not_found'] },
  'POST /api/birth/verify': { id: 'birthVerify', access: 'public', codes: ['too_many_attempts'] },
  'POST /api/birth/verify-pdf': { id: 'birthVerifyPdf', access: 'public', codes: ['body_too_large', 'too_many_attempts'] },
  'GET /api/birth/revocations/{office}': { id: 'birthRevocations', access: 'public', codes: ['not_found', 'too_many_attempts'] },
  // Birth, continued (issue 10): duplicate links for the office, chunked attachment upload
  'GET /api/birth/cases/{id}/duplicates': { id: 'birthCaseDuplicates', access: 'session', codes: ['case_not_found'] },
  'GET /api/birth/attachments/{id}/parts': { id: 'birthAttachmentParts', access: 'session', codes: ['attachment_not_found'] },
  'PUT /api/birth/attachments/{id}/parts/{n}': { id: 'birthAttachmentPartPut', access: 'session', codes: ['attachment_not_found', 'upload_part_invalid', 'attachment_too_large', 'attachment_type_refused', 'attachment_mismatch'] },
  'POST /api/birth/attachments/{id}/complete': { id: 'birthAttachmentComplete', access: 'session', codes: ['attachment_not_found', 'upload_parts_missing', 'attachment_too_large', 'attachment_type_refused', 'attachment_mismatch'] },
  // KTP-el counter finished and RETAS (issue 12)
  'POST /api/ktpel/pickup/check': { id: 'ktpelPickupCheck', access: 'session', codes: ['receipt_invalid', 'receipt_expired', 'receipt_other_office', 'receipt_already_collected', 'card_not_ready', 'case_not_found'] },
  'POST /api/ktpel/pickup': { id: 'ktpelPickup', access: 'session', codes: ['receipt_invalid', 'receipt_expired', 'receipt_other_office', 'receipt_already_collected', 'card_not_ready', 'case_not_found'] },
  'GET /api/ktpel/blanks': { id: 'ktpelBlankStock', access: 'session' },
  'GET /api/retas/schools': { id: 'retasSchoolsList', access: 'session' },
  'PUT /api/retas/schools/{npsn}': { id: 'retasSchoolPut', access: 'session' },
  // RETAS letter, acknowledgements, public events, offline roster and report (issue 12)
  'GET /api/retas/officers': { id: 'retasOfficersList', access: 'session' },
  'GET /api/retas/cases/{id}/memo.pdf': { id: 'retasMemoPdf', access: 'session', codes: ['case_not_found', 'retas_not_assigned'] },
  'GET /api/retas/cases/{id}/letter': { id: 'retasLetterGet', access: 'session', codes: ['case_not_found', 'retas_not_assigned'] },
  'POST /api/retas/cases/{id}/letter/sign': { id: 'retasLetterSign', access: 'session', codes: ['case_not_found', 'current_password_wrong', 'too_many_attempts', 'illegal_action', 'stale_version', 'signature_service_failed'] },
  'POST /api/retas/cases/{id}/acknowledgements': { id: 'retasLetterAcknowledge', access: 'session', codes: ['case_not_found', 'retas_not_assigned', 'retas_not_ready'] },
  'GET /api/retas/events': { id: 'retasEventsPublic', access: 'public' },
  'POST /api/retas/letters/verify': { id: 'retasLetterVerify', access: 'public', codes: ['retas_letter_invalid'] },
  'POST /api/retas/cases/{id}/marks': { id: 'retasMarksUpload', access: 'session', codes: ['case_not_found', 'retas_not_assigned', 'retas_not_recording'] },
  'GET /api/retas/cases/{id}/roster': { id: 'retasRosterGet', access: 'session', codes: ['case_not_found', 'retas_not_assigned'] },
  'GET /api/retas/cases/{id}/report.csv': { id: 'retasReportCsv', access: 'session', codes: ['case_not_found', 'retas_not_assigned'] },
  'GET /api/retas/cases/{id}/report.pdf': { id: 'retasReportPdf', access: 'session', codes: ['case_not_found', 'retas_not_assigned'] },
  'POST /api/retas/cases/{id}/registry-match': { id: 'retasRegistryMatch', access: 'session', codes: ['case_not_found', 'retas_not_assigned', 'retas_not_recording'] },
  'POST /api/audit/checkpoint': { id: 'auditCheckpoint', access: 'session' },
  'GET /api/audit/verify': { id: 'auditVerify', access: 'session' },
};

/** Problems any operation of this kind can answer: the contract check, the session check, CSRF on unsafe methods. */
function commonCodes(method: string, access: Access, hasBody: boolean, hasParams: boolean): ProblemCode[] {
  const codes: ProblemCode[] = [];
  if (hasBody) codes.push('bad_json', 'unsupported_media_type', 'body_too_large');
  if (hasBody || hasParams) codes.push('validation_failed');
  if (access === 'session') codes.push('unauthenticated', 'session_expired', 'forbidden_role', 'forbidden_object');
  if (method !== 'get') codes.push('csrf_rejected');
  return codes;
}

interface Doc {
  info: object;
  paths?: Record<string, Record<string, { responses?: Record<string, Record<string, unknown>>; requestBody?: unknown; parameters?: unknown[]; operationId?: string; security?: unknown[] }>>;
  components?: Record<string, Record<string, unknown>>;
  [k: string]: unknown;
}

const problemResponse = (codes: ProblemCode[]) => ({
  description: `Problem (application/problem+json); \`code\` is one of: ${codes.map((c) => `\`${c}\``).join(', ')}`,
  content: {
    'application/problem+json': {
      schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { type: 'object', properties: { code: { type: 'string', enum: codes } } }] },
    },
  },
});

/**
 * Adds the facts above to the generated document. An operation missing from OPERATIONS gets no operationId, so the
 * lint stage and tests/worker/openapi.test.ts fail and name it.
 */
export function describeOperations<T extends object>(document: T): T {
  const doc = document as unknown as Doc;
  doc.info = {
    ...doc.info,
    license: { name: 'Proprietary: Disdukcapil office use and its integration partners', identifier: 'LicenseRef-Loket-Proprietary' },
  };
  doc.components = {
    ...doc.components,
    securitySchemes: {
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: SESSION_COOKIE,
        description:
          'The session cookie set by POST /api/auth/login (staff) or the IKD sign-in/registration (residents); HttpOnly, SameSite=Strict. ' +
          'Unsafe methods (POST, PATCH, PUT, DELETE) under /api must also carry an Origin header of this site (or Sec-Fetch-Site: same-origin), else 403 csrf_rejected.',
      },
    },
  };
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const facts = OPERATIONS[`${method.toUpperCase()} ${path}`];
      if (!facts) continue;
      op.operationId = facts.id;
      op.security = facts.access === 'public' ? [] : [{ session: [] }];
      const candidates = [...new Set([...commonCodes(method, facts.access, op.requestBody !== undefined, (op.parameters?.length ?? 0) > 0), ...(facts.codes ?? [])])];
      const responses = (op.responses ??= {});
      const declared = Object.keys(responses).filter((s) => /^4\d\d$/.test(s));
      // Codes whose status the route did not declare are still real answers: they get their status listed too.
      for (const code of candidates) {
        const status = String(PROBLEMS[code].status);
        if (!declared.includes(status)) declared.push(status);
      }
      for (const status of declared) {
        const codes = candidates.filter((c) => String(PROBLEMS[c].status) === status);
        if (codes.length > 0) responses[status] = problemResponse(codes);
      }
    }
  }
  return document;
}
