/**
 * Who may do what, as data: for every OpenAPI route (`METHOD /path`) the answer class each subject gets on its own
 * object and, for routes with an object in the path, on another office's (staff) or another resident's (residents).
 * Classes: `reached` (past authorization: 2xx, or a 4xx about the request itself), `unauth` (401), `forbidden`
 * (403), `hidden` (404: the object is not shown to this caller). Requests carry an empty JSON body, so `reached`
 * routes with a body mostly answer 422. `staff` is the default for every staff role; a role named overrides it;
 * `residentFull` defaults to `resident`.
 */
import { uuid7 } from '../../../schema/ids';
import type { StaffRole } from '../../../schema/roles';

export type Outcome = 'reached' | 'unauth' | 'forbidden' | 'hidden';
export type Spec = { anonymous: Outcome; resident: Outcome; residentFull?: Outcome; staff: Outcome } & Partial<Record<StaffRole, Outcome>>;
export interface BodyContext {
  /** The object ids of this variant (case `id`, office `code`, `slot`, `staff`, resident `nik`). */
  ids: Record<string, string>;
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
  // Development and test stacks only: production answers 404 not_available to everyone (worker/routes/dev.ts).
  'GET /api/dev/mailbox': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },
  'POST /api/dev/deliver': { own: { anonymous: 'reached', resident: 'reached', staff: 'reached' } },

  // ---- staff account ----
  'GET /api/auth/me': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'reached' } },
  'POST /api/auth/change-password': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'reached' } },

  // ---- the office's admin ----
  'GET /api/staff': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached' } },
  'POST /api/staff': { own: { anonymous: 'unauth', resident: 'forbidden', staff: 'forbidden', admin: 'reached' } },
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
};

/** Valid bodies of routes that validate before they check who asks (see RouteExpectation.body). */
export const BODIES: Record<string, RouteExpectation['body']> = {
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
  'POST /api/ikd/slots': () => slotBody(),
  'PATCH /api/staff/{id}': () => ({ displayName: 'Nama Uji Matriks' }),
  'PATCH /api/offices/{code}': () => ({ holidays: [{ date: '2027-08-17', name: 'Hari Kemerdekaan' }] }),
};
