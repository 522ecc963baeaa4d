/**
 * Who may do what, as data: for every OpenAPI route (`METHOD /path`) the answer class each subject gets on its own
 * object and, for routes with an object in the path, on another office's (staff) or another resident's (residents).
 * Classes: `reached` (past authorization: 2xx, or a 4xx about the request itself), `unauth` (401), `forbidden`
 * (403), `hidden` (404: the object is not shown to this caller). Every route with a body gets a valid one (BODIES
 * below, or the expectation's own `body`): an answer `validation_failed` or `bad_json` fails the matrix, so `reached`
 * means the request passed the contract and who-may-ask, and met the route's own rules (or succeeded).
 * `staff` is the default for every staff role; a role named overrides it; `residentFull` defaults to `resident`.
 */
import { newTrackingCode } from '../../../schema/aduan/tracking';
import { uuid7 } from '../../../schema/ids';
import type { StaffRole } from '../../../schema/roles';
import { REQUIREMENTS } from '../birth-kit';

export type Outcome = 'reached' | 'unauth' | 'forbidden' | 'hidden';
/** `partnerClerk` (a clerk with a partner) falls back to `partner_operator` (the partnerless clerk), then to `staff`. */
export type Spec = { anonymous: Outcome; resident: Outcome; residentFull?: Outcome; partnerClerk?: Outcome; staff: Outcome } & Partial<Record<StaffRole, Outcome>>;
export interface BodyContext {
  /** The object ids of this variant (case `id`, office `code`, `slot`, `staff`, resident `nik`, `receipt`, …). */
  ids: Record<string, string>;
  /** Who sends it (a body may differ by role, e.g. the admin names the operator a slot is for). */
  subject: string;
  device: { jwk: JsonWebKey; qr: string; signature: string };
}
export interface RouteExpectation {
  own: Spec;
  /** Required for routes with a path parameter or an object in the body. */
  other?: Spec;
  /** The resident the route is about travels in the body (no NIK in URLs): try own and other like a path object. */
  objectInBody?: true;
  /**
   * A valid body, where the route validates before it checks who asks: without one, every caller gets 422 and the
   * matrix would learn nothing. Default `{}`.
   */
  body?: (b: BodyContext) => unknown;
  /** A valid query string (with its `?`), for routes that validate the query before they check who asks. */
  query?: string;
  /** A valid non-JSON body (a file upload), sent instead of `body` with its own Content-Type. */
  upload?: () => { bytes: Uint8Array; type: string };
}

const MIN = 60_000;
/** A slot two days from now, 09:00–09:30 in Tabalong (WITA): inside the seeded service hours on a weekday. */
function slotBody(): { startsAt: number; endsAt: number; capacity: number } {
  let day = Date.now() + 2 * 86_400_000;
  for (;;) {
    const local = new Date(day + 8 * 3_600_000);
    const wd = local.getUTCDay();
    if (wd >= 1 && wd <= 4) {
      const startsAt = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 9 - 8, 0);
      return { startsAt, endsAt: startsAt + 30 * MIN, capacity: 1 };
    }
    day += 86_400_000;
  }
}

/** The complaint inbox's roles (worker/aduan/service.ts INBOX_ROLES). */
const INBOX: Spec = { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', complaint_handler: 'reached', head_of_division: 'reached', head_of_office: 'reached', admin: 'reached' };
/** Who hands out IKM invitations and opens kiosks (worker/routes/ikm.ts ISSUE_ROLES). */
const IKM_ISSUE: Spec = { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', front_office: 'reached', complaint_handler: 'reached', head_of_division: 'reached', admin: 'reached' };
/** Who sees the IKM results (worker/routes/ikm.ts DASHBOARD_ROLES). */
const IKM_RESULTS: Spec = { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', head_of_division: 'reached', head_of_office: 'reached', admin: 'reached', complaint_handler: 'reached' };
/** The service-time dashboard (worker/routes/dashboard.ts). */
const HEADS: Spec = { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', head_of_division: 'reached', head_of_office: 'reached', admin: 'reached' };
/** RETAS event routes: the heads and the admin of the office (and officers named on the letter, none in the world). */
const RETAS_HEADS: Spec = { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', head_of_division: 'reached', head_of_office: 'reached', admin: 'reached' };
const RETAS_NONE: Spec = { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' };
const ADMIN_ONLY: Spec = { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached' };
/** The smallest valid PNG (1×1, grey): a photo the upload route accepts. */
const TINY_PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=='), (ch) => ch.charCodeAt(0));
const IKM_PERIOD = '?service=ktpel&from=2026-11-01&to=2026-11-30';
const SERVICE_PERIOD = '?service=ktpel&from=2026-11-01&to=2026-11-30';

export const EXPECTATIONS: Record<string, RouteExpectation> = {
  // ---- public: sign-in, the resident's own entry points, keys and checks (throttled, not role-bound) ----
  'POST /api/auth/login': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/auth/logout': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'GET /api/services': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/ikd/register': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/ikd/resume': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/ikd/activation/verify': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/ikd/activation/complete': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/ikd/challenge': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/ikd/login': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'GET /.well-known/jwks.json': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'GET /api/ktp/blocked': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/ktp/verify': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  // No session: a challenge signed by the device key is the authentication (worker/routes/ktp.ts).
  'POST /api/ktp/device-status': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  // Development and test stacks only: production answers 404 not_available to everyone (worker/routes/dev.ts).
  'GET /api/dev/mailbox': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/dev/deliver': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },

  // ---- staff account ----
  'GET /api/auth/me': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'reached' } },
  'POST /api/auth/change-password': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'reached' } },

  // ---- the office's admin ----
  'GET /api/staff': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached' } },
  'POST /api/staff': {
    // An account in the admin's own office (own) or in Kota Jambi (other: forbidden_object).
    objectInBody: true,
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },
  'PATCH /api/staff/{id}': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },
  'GET /api/offices/{code}': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },
  'PATCH /api/offices/{code}': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },

  // ---- the audit chain (issue 7): the office's admin checkpoints and verifies ----
  'POST /api/audit/checkpoint': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached' } },
  'GET /api/audit/verify': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached' } },

  // ---- cases (own = an IKD case of the office or the resident's own; other = Kota Jambi's / another resident's) ----
  'GET /api/cases': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'reached' } },
  'GET /api/cases/{id}': {
    // An IKD case: the roles of the IKD SOP and the office's heads; the resident whose case it is.
    own: { anonymous: 'unauth', resident: 'reached', staff: 'forbidden', admin: 'reached', operator: 'reached', head_of_division: 'reached', head_of_office: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },
  'GET /api/cases/{id}/receipt': {
    // A KTP-el case (not accepted yet: "reached" is 409 receipt_not_ready): the KTP-el SOP's roles and heads, the applicant.
    own: { anonymous: 'unauth', resident: 'reached', staff: 'reached', verifier: 'forbidden', partner_operator: 'forbidden', field_officer: 'forbidden', complaint_handler: 'forbidden' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },
  // Every command is then checked by the engine on its own (role, object); the route needs a session.
  'POST /api/sync/push': { own: { anonymous: 'unauth', resident: 'reached', staff: 'reached' } },
  'GET /api/sync/pull': { own: { anonymous: 'unauth', resident: 'reached', staff: 'reached' } },

  // ---- registry and identity-check detail (the NIK in the body: own office's resident vs Kota Jambi's) ----
  'POST /api/registry/residents/lookup': {
    objectInBody: true,
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', front_office: 'reached', operator: 'reached', verifier: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },
  'POST /api/ikd/residents/match-attempts': {
    objectInBody: true,
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached', front_office: 'reached', operator: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },

  // ---- the resident's IKD (registration session: resident; PIN + device session: residentFull) ----
  'GET /api/ikd/me': { own: { anonymous: 'unauth', resident: 'reached', staff: 'forbidden' } },
  'GET /api/ikd/slots/free': { own: { anonymous: 'unauth', resident: 'reached', staff: 'forbidden' } },
  'POST /api/ikd/booking': { own: { anonymous: 'unauth', resident: 'reached', staff: 'forbidden' } },
  'POST /api/ikd/booking/cancel': { own: { anonymous: 'unauth', resident: 'reached', staff: 'forbidden' } },
  'POST /api/ikd/device/key': { own: { anonymous: 'unauth', resident: 'reached', staff: 'forbidden' } },
  // Binding happens before activation: a resident already signed in with PIN and device has nothing to bind.
  'POST /api/ikd/device/bind': { own: { anonymous: 'unauth', resident: 'reached', residentFull: 'forbidden', staff: 'forbidden' } },
  // Reached by both; the engine's hook then demands full assurance (409/403 inside the command result).
  'POST /api/ikd/device/release': { own: { anonymous: 'unauth', resident: 'reached', staff: 'forbidden' } },
  'POST /api/ikd/pin': { own: { anonymous: 'unauth', resident: 'forbidden', residentFull: 'reached', staff: 'forbidden' } },
  'GET /api/ktp/credential': { own: { anonymous: 'unauth', resident: 'forbidden', residentFull: 'reached', staff: 'forbidden' } },

  // ---- IKD work of the office ----
  'GET /api/ikd/queue': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'reached', verifier: 'forbidden', partner_operator: 'forbidden', field_officer: 'forbidden', complaint_handler: 'forbidden' },
  },
  'GET /api/ikd/slots': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'reached', verifier: 'forbidden', partner_operator: 'forbidden', field_officer: 'forbidden', complaint_handler: 'forbidden' },
  },
  // The admin opens a slot for an operator of the office (naming Kota Jambi's operator is validation_failed,
  // tests/worker/ikd-slots.test.ts); the operator for self.
  'POST /api/ikd/slots': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached', operator: 'reached' } },
  'POST /api/ikd/slots/{id}/cancel': {
    // The slot belongs to another operator of the office: its own operator or the admin may cancel it.
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },
  'POST /api/ikd/cases/{id}/binding-nonce': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', operator: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },

  // ---- complaints (issue 9): filing and tracking without an account; the inbox for handlers and heads ----
  'POST /api/aduan/public': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/aduan/track': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/aduan/track/reopen': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'GET /api/aduan/inbox': { own: INBOX },
  'GET /api/aduan/export.csv': { own: INBOX },
  'GET /api/aduan/handlers': { own: INBOX },
  'GET /api/aduan/report.pdf': { own: INBOX, query: '?month=2026-11' },
  'GET /api/aduan/settings': { own: INBOX },
  'PUT /api/aduan/settings': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached' } },
  'GET /api/aduan/cases/{id}': {
    // own = a complaint filed in Tabalong, other = one filed in Kota Jambi (forbidden_object for the inbox roles).
    own: INBOX,
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },
  // A complaint's attachment: the inbox roles of its office; another office's answers like a missing one.
  'GET /api/aduan/attachments/{id}': {
    own: INBOX,
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', complaint_handler: 'hidden', head_of_division: 'hidden', head_of_office: 'hidden', admin: 'hidden' },
  },
  // LAPOR! import: handlers, heads of division, the admin (a valid export: created once, skipped after).
  'POST /api/aduan/import/lapor': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', complaint_handler: 'reached', head_of_division: 'reached', admin: 'reached' },
    body: () => ({ data: [{ tracking_id: 'MATRIKS-0001', judul: 'Antrean KK', isi_laporan: 'Antrean pengurusan KK terlalu lama di loket.' }] }),
  },
  // Public: a photo for the form (a real PNG, throttled per IP), and Meta's webhook, whose signature is the
  // authentication (unsigned here: 401 webhook_signature_invalid, which is past who-may-ask).
  'POST /api/aduan/photos': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' }, query: '?office=63.09', upload: () => ({ bytes: TINY_PNG, type: 'image/png' }) },
  // Complaint answer files (issue 11): the office's handlers and heads of division upload (the world's complaint is
  // not in follow-up yet: 409, past who-may-ask); anyone holding the tracking code fetches a file of the answer.
  'POST /api/aduan/cases/{id}/reply-files': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', complaint_handler: 'reached', head_of_division: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
    query: '?name=jawaban', upload: () => ({ bytes: TINY_PNG, type: 'image/png' }),
  },
  'POST /api/aduan/track/files/{id}': {
    own: { anonymous: 'reached', resident: 'reached', staff: 'reached' },
    other: { anonymous: 'reached', resident: 'reached', staff: 'reached' },
    body: ({ ids }) => ({ code: ids.tracking }),
  },
  'GET /api/aduan/whatsapp/webhook': {
    own: { anonymous: 'reached', resident: 'reached', staff: 'reached' },
    query: '?hub.mode=subscribe&hub.verify_token=test-wa-verify-token&hub.challenge=1158201444',
  },
  'POST /api/aduan/whatsapp/webhook': {
    own: { anonymous: 'reached', resident: 'reached', staff: 'reached' },
    body: () => ({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', messages: [] } }] }] }),
  },

  // ---- IKM survey: answers without an account; invitations and kiosks; results for heads and handlers ----
  'POST /api/ikm/responses': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/ikm/invitations': { own: IKM_ISSUE },
  'POST /api/ikm/kiosks': { own: IKM_ISSUE },
  'POST /api/ikm/kiosks/close': { own: IKM_ISSUE },
  'GET /api/ikm/dashboard': { query: IKM_PERIOD, own: IKM_RESULTS },
  'GET /api/ikm/export.csv': { query: IKM_PERIOD, own: IKM_RESULTS },

  // ---- service-time dashboard: heads of division and office, the admin ----
  'GET /api/dashboard/service-time': { query: SERVICE_PERIOD, own: HEADS },
  'GET /api/dashboard/service-time.csv': { query: SERVICE_PERIOD, own: HEADS },

  // ---- KTP-el counter and RETAS schools (issue 12) ----
  // Pickup by the receipt QR of a card waiting at the counter: own = Tabalong's receipt (the front office checks it,
  // then hands the card over), other = Kota Jambi's (receipt_other_office, an object refusal).
  'POST /api/ktpel/pickup/check': {
    objectInBody: true,
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', front_office: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },
  'POST /api/ktpel/pickup': {
    objectInBody: true,
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', front_office: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },
  'GET /api/ktpel/blanks': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', operator: 'reached', admin: 'reached', head_of_division: 'reached', head_of_office: 'reached' } },
  'GET /api/retas/schools': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', head_of_division: 'reached', head_of_office: 'reached', field_officer: 'reached', admin: 'reached' } },
  'PUT /api/retas/schools/{npsn}': {
    // Schools are kept per office (key: office, NPSN): other = an NPSN Kota Jambi keeps, which the head of division
    // writes into Tabalong's own list; Kota Jambi's record is never touched (checked after the matrix).
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', head_of_division: 'reached', admin: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', head_of_division: 'reached', admin: 'reached' },
  },

  // ---- RETAS letter, acknowledgements, public events, roster and report (issue 12) ----
  // The world's RETAS cases are proposals naming no officer: the matrix's field officer is on no letter
  // (retas_not_assigned), another office's case is refused to everyone (forbidden_object).
  'GET /api/retas/officers': { own: RETAS_HEADS },
  'GET /api/retas/cases/{id}/memo.pdf': { own: RETAS_HEADS, other: RETAS_NONE },
  'GET /api/retas/cases/{id}/letter': { own: RETAS_HEADS, other: RETAS_NONE },
  'GET /api/retas/cases/{id}/roster': { own: RETAS_HEADS, other: RETAS_NONE },
  'GET /api/retas/cases/{id}/report.csv': { own: RETAS_HEADS, other: RETAS_NONE },
  'GET /api/retas/cases/{id}/report.pdf': { own: RETAS_HEADS, other: RETAS_NONE },
  // Signing: the head of office only; the wrong password of the body then answers 403 current_password_wrong ("reached").
  'POST /api/retas/cases/{id}/letter/sign': {
    body: () => ({ password: 'Bukan-Sandinya-1', version: 1 }),
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', head_of_office: 'reached' },
    other: RETAS_NONE,
  },
  'POST /api/retas/cases/{id}/acknowledgements': { own: RETAS_NONE, other: RETAS_NONE },
  'POST /api/retas/cases/{id}/marks': { body: () => ({ marks: [{}] }), own: RETAS_NONE, other: RETAS_NONE },
  'GET /api/retas/events': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/retas/letters/verify': { body: () => ({ token: 'bukan-token-surat-tugas' }), own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  // Heads reach the state check (the world's proposal is not recording yet: 409); the field officer is on no letter.
  'POST /api/retas/cases/{id}/registry-match': {
    body: () => ({ students: [{ studentKey: 'nisn:0091234567', name: 'Siti Matriks', birthDate: '2009-05-01', nik: '6309014105090001' }] }),
    own: RETAS_HEADS,
    other: RETAS_NONE,
  },

  // ---- birth certificates (issue 10): the admin keeps partners, clerks and requirements ----
  'GET /api/birth/partners': { own: ADMIN_ONLY },
  'POST /api/birth/partners': { own: ADMIN_ONLY },
  'PATCH /api/birth/partners/{id}': {
    // Another office's partner: one answer for "none" and "not yours" (partner_not_found).
    own: ADMIN_ONLY,
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'hidden' },
  },
  'PUT /api/birth/clerks': {
    // A clerk account of the admin's office (own) or of Kota Jambi (other: one answer for "none" and "not yours").
    objectInBody: true,
    own: ADMIN_ONLY,
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'hidden' },
  },
  'GET /api/birth/requirements': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'reached' } },
  'PUT /api/birth/requirements': { own: ADMIN_ONLY },
  // Attachments of a partner's submission: only a clerk uploads; office staff and the submitting partner's clerk
  // read. The matrix's partner_operator belongs to no partner, so it sees none (attachment_not_found, like any
  // file of another office: ids cannot be probed); `partnerClerk` reaches its partner's file and meets the same
  // answer for the other partner's.
  'PUT /api/birth/attachments/{id}': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', partner_operator: 'hidden', partnerClerk: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', partner_operator: 'hidden' },
  },
  'GET /api/birth/attachments/{id}': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'reached', partner_operator: 'hidden', partnerClerk: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'hidden' },
  },
  // Signing: the head of office only (then the wrong password of the body answers 4xx: "reached").
  'POST /api/birth/sign': {
    body: ({ ids }) => ({ password: 'Bukan-Sandinya-1', cases: [{ id: ids.birthCase, version: 1 }] }),
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', head_of_office: 'reached' },
  },
  'GET /api/birth/cases/{id}/certificates': {
    // A birth case of the office: any staff of it; a clerk only of the submitting partner (partner_operator has none).
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'reached', partner_operator: 'forbidden', partnerClerk: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden' },
  },
  // The world has no signed certificate (signing builds a real PDF): the register number is made up, so the roles
  // allowed (operator, head of office) meet certificate_not_found. Others are refused before the lookup.
  'POST /api/birth/certificates/{no}/issue': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', operator: 'hidden', head_of_office: 'hidden' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', operator: 'hidden', head_of_office: 'hidden' },
  },
  // Public: the signed expiring link is the authorization (made-up token here: refused by its own code), the
  // verification of a QR or a PDF, the signed list of revocations of any office.
  'GET /api/documents/{token}': {
    own: { anonymous: 'reached', resident: 'reached', staff: 'reached' },
    other: { anonymous: 'reached', resident: 'reached', staff: 'reached' },
  },
  'POST /api/birth/verify': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/birth/verify-pdf': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'GET /api/birth/revocations/{office}': {
    own: { anonymous: 'reached', resident: 'reached', staff: 'reached' },
    other: { anonymous: 'reached', resident: 'reached', staff: 'reached' },
  },
  // Birth, continued: which cases a birth case may duplicate is for office staff only, never a partner clerk (the
  // other case may be another partner's); staff of another office are refused.
  'GET /api/birth/cases/{id}/duplicates': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached', front_office: 'reached', operator: 'reached', verifier: 'reached', head_of_division: 'reached', head_of_office: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'forbidden', front_office: 'forbidden', operator: 'forbidden', verifier: 'forbidden', head_of_division: 'forbidden', head_of_office: 'forbidden' },
  },
  // Chunked upload: like the whole-file PUT, only a clerk of the submitting partner.
  'GET /api/birth/attachments/{id}/parts': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', partner_operator: 'hidden', partnerClerk: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', partner_operator: 'hidden' },
  },
  'PUT /api/birth/attachments/{id}/parts/{n}': {
    upload: () => ({ bytes: TINY_PNG, type: 'image/png' }),
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', partner_operator: 'hidden', partnerClerk: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', partner_operator: 'hidden' },
  },
  'POST /api/birth/attachments/{id}/complete': {
    own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', partner_operator: 'hidden', partnerClerk: 'reached' },
    other: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', partner_operator: 'hidden' },
  },
};

/** A base64url string of `n` characters (a thumbprint, a signature, a made-up token). */
const b64 = (n: number) => 'A'.repeat(n);
const PIN = '135790';

/**
 * Valid bodies (they pass the route's contract), so every route reaches its role, object and own rules. Credentials
 * in them are wrong or made up unless the world holds a real one (receipts, tracking codes, ids).
 */
export const BODIES: Record<string, RouteExpectation['body']> = {
  'POST /api/auth/login': () => ({ username: 'bukan.pengguna', password: 'Bukan-Sandinya-1' }),
  'POST /api/staff': ({ ids }) => ({
    username: `matriks.${crypto.randomUUID().slice(0, 8)}`, displayName: 'Akun Uji Matriks', password: 'Sate-Padang-77-Baru', roles: ['operator'], officeCode: ids.code,
  }),
  'POST /api/ikd/register': ({ ids }) => ({
    nik: ids.nik, kkNumber: '6309010101010001', motherMaidenName: 'Bukan Ibunya', email: 'warga.matriks@example.org', phone: '081234567890', route: 'counter',
  }),
  'POST /api/ikd/resume': ({ ids }) => ({ nik: ids.nik, kkNumber: '6309010101010001', motherMaidenName: 'Bukan Ibunya' }),
  'POST /api/ikd/activation/verify': () => ({ token: b64(43), activationPin: PIN }),
  'POST /api/ikd/activation/complete': () => ({ token: b64(43), activationPin: PIN, pin: '246813', commandId: uuid7() }),
  'POST /api/ikd/challenge': ({ ids }) => ({ nik: ids.nik, thumbprint: b64(43) }),
  'POST /api/ikd/login': ({ ids }) => ({ nik: ids.nik, pin: PIN, challengeId: 'bukan-tantangan', signature: b64(86) }),
  'POST /api/ktp/device-status': ({ ids }) => ({ nik: ids.nik, challengeId: 'bukan-tantangan', signature: b64(86) }),
  'POST /api/ktp/verify': () => ({ qr: b64(120) }),
  'POST /api/aduan/public': ({ ids }) => ({
    office: ids.code, commandId: uuid7(), caseId: uuid7(),
    input: { kind: 'pengaduan', subjectService: 'ktpel', title: 'KTP-el belum jadi', description: 'Sudah tiga minggu KTP-el saya belum bisa diambil.', privacy: 'biasa', trackingCode: newTrackingCode() },
  }),
  'POST /api/aduan/track': ({ ids }) => ({ code: ids.tracking }),
  'POST /api/aduan/track/reopen': ({ ids }) => ({ code: ids.tracking, commandId: uuid7(), reopenReason: 'Belum selesai juga' }),
  'POST /api/ikm/responses': () => ({ id: uuid7(), answers: [4, 4, 3, 4, 3, 4, 4, 3, 4], kiosk: 'bukan-token-kios' }),
  'POST /api/birth/partners': () => ({ kind: 'hospital', name: `RS Matriks ${crypto.randomUUID().slice(0, 8)}` }),
  'PUT /api/birth/clerks': ({ ids }) => ({ userId: ids.clerk, partnerId: null }),
  'PUT /api/birth/requirements': () => ({ requirements: REQUIREMENTS.map((r) => ({ code: r.code, label: { id: r.label_id, en: r.label_en }, required: r.required === 1 })) }),
  'POST /api/birth/verify': () => ({ qr: b64(60) }),
  'POST /api/ktpel/pickup/check': ({ ids }) => ({ qr: ids.receipt }),
  'POST /api/ktpel/pickup': ({ ids }) => ({ qr: ids.receipt, commandId: crypto.randomUUID() }),
  'PUT /api/retas/schools/{npsn}': () => ({ name: 'SMA NEGERI MATRIKS', address: 'Jl. Matriks 2', districtCode: '63.09.01', contactName: 'Ibu Rina', contactPhone: '081234567891' }),
  'POST /api/auth/change-password': () => ({ currentPassword: 'Bukan-Sandinya-1', newPassword: 'Sate-Padang-77-Baru' }),
  'POST /api/sync/push': ({ ids }) => ({ commands: [{ id: uuid7(), type: 'action', caseId: ids.id, action: 'verify', baseVersion: 1, input: {} }] }),
  'POST /api/registry/residents/lookup': ({ ids }) => ({ nik: ids.nik }),
  'POST /api/ikd/residents/match-attempts': ({ ids }) => ({ nik: ids.nik }),
  'POST /api/ikd/booking': ({ ids }) => ({ slotId: ids.slot, commandId: uuid7() }),
  'POST /api/ikd/booking/cancel': () => ({ commandId: uuid7() }),
  'POST /api/ikd/device/key': ({ device }) => ({ publicJwk: device.jwk }),
  'POST /api/ikd/device/bind': ({ device }) => ({ qr: device.qr, publicJwk: device.jwk, signature: device.signature, commandId: uuid7() }),
  'POST /api/ikd/device/release': () => ({ pin: '135790', commandId: uuid7() }),
  'POST /api/ikd/pin': () => ({ currentPin: '135790', newPin: '246813' }),
  'POST /api/ikd/slots': ({ ids, subject }) => ({ ...slotBody(), ...(subject === 'admin' ? { operatorId: ids.staff } : {}) }),
  'PATCH /api/staff/{id}': () => ({ displayName: 'Nama Uji Matriks' }),
  'PUT /api/aduan/settings': () => ({ reopenWorkingDays: 10, resolutionDays: { ringan: 2, normatif: 5, investigasi: 60 } }),
  'POST /api/ikm/invitations': () => ({ service: 'ktpel', count: 1 }),
  'POST /api/ikm/kiosks': () => ({ service: 'ktpel', label: 'Tablet loket matriks' }),
  'POST /api/ikm/kiosks/close': () => ({ token: 'bukan-token-kios' }),
  'PATCH /api/offices/{code}': () => ({ holidays: [{ date: '2027-08-17', name: 'Hari Kemerdekaan' }] }),
};
