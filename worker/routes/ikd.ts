/**
 * IKD routes (/api/ikd/*): public registration, resumption, activation and sign-in; the resident's account, slots,
 * device key, binding, release and PIN change; the operator's slots, binding QR, queue and identity-check detail.
 * Operator SOP actions (verify, bind by scanning the phone, approve, reject, reissue, block, unblock) go through
 * /api/sync/push like every other service.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  ActivationCompleteRequest,
  ActivationVerifyRequest,
  ActivationVerifyResponse,
  BindingNonceResponse,
  BookingRequest,
  CaseResponse,
  ChallengeRequest,
  ChallengeResponse,
  ChangePinRequest,
  CommandOnlyRequest,
  DeviceBindRequest,
  DeviceKeyRequest,
  DeviceKeyResponse,
  FreeSlotsQuery,
  FreeSlotsResponse,
  IkdMeResponse,
  IkdRegisterRequest,
  IkdResumeRequest,
  IkdSessionResponse,
  MatchAttemptsResponse,
  QueueResponse,
  ReleaseRequest,
  ResidentLoginRequest,
  ResidentLoginResponse,
  SlotCreateRequest,
  SlotResponse,
  SlotsQuery,
  SlotsResponse,
} from '../../schema/contracts/ikd';
import { parseBindingQr } from '../../schema/ikd-rules';
import { maskNik } from '../../schema/nik';
import { jsonBody, newApi, ok, problems } from '../api';
import { clearSessionCookie } from '../auth/sessions';
import { clientIp, IP_POLICY, Throttle } from '../auth/throttle';
import { getCase } from '../db/cases';
import { openIkdCase } from '../db/ikd';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { checkActivationPin, openLink } from '../ikd/activation';
import { operatorNonce, registerDeviceKey } from '../ikd/binding';
import { register, resume } from '../ikd/registration';
import { engineContext, residentSessionFor, runAction } from '../ikd/service';
import { challenge, changePin, login } from '../ikd/signin';
import { cancelSlot, createSlot, freeSlots, staffSlots } from '../ikd/slots';
import { matchAttempts, me, queue } from '../ikd/views';
import { registryFor } from '../db/registry';
import { requireSession } from '../middleware/session';
import type { Session } from '../middleware/session';

export const ikdRoutes = newApi();

/** Route middleware: 401 before body validation for routes that need a session. */
const signedIn: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireSession(c);
  await next();
};

function requireResident(s: Session): Session {
  if (s.subjectType !== 'resident') throw new ApiError('forbidden_role', 'Hanya untuk pemohon. / Residents only.');
  return s;
}

/** The signed-in resident's open case, or 404. */
async function ownOpenCase(db: D1Database, s: Session) {
  const row = await openIkdCase(db, requireResident(s).subjectId);
  if (!row) throw new ApiError('case_not_found', 'Belum ada permohonan IKD yang berjalan. / No open IKD application.');
  return row;
}

/** Per-IP limit on failed activation attempts (bad links, wrong PINs), beside each link's own 5 tries. */
const activationIp = (ip: string) => [{ key: `activation:ip:${ip}`, policy: IP_POLICY }];

async function countingActivationFailures<T>(db: D1Database, ip: string, run: () => Promise<T>): Promise<T> {
  const throttle = new Throttle(db);
  await throttle.assertAllowed(activationIp(ip));
  try {
    return await run();
  } catch (err) {
    if (err instanceof ApiError && (err.code.startsWith('activation_link_') || err.code === 'pin_wrong')) await throttle.fail(activationIp(ip));
    throw err;
  }
}

// ---- public ----

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/register',
    tags: ['ikd'],
    summary: 'Daftar IKD: identity check (matches / does not match), eligibility, new case, registration session',
    description:
      'Public. Limited per IP (20/hour) and per NIK (5 mismatches → 429 too_many_attempts). 422 identity_mismatch never says which field; ' +
      '403 not_eligible carries `reason` under_17 | ektp_not_recorded; 409 ikd_case_open carries the open `case`. ' +
      'Sets the loket_session cookie (assurance "registration").',
    request: { body: jsonBody(IkdRegisterRequest) },
    responses: { 201: ok(IkdSessionResponse, 'Registered'), ...problems(403, 409, 422, 429) },
  }),
  async (c) => {
    const out = await register(c, c.req.valid('json'));
    return c.json({ ...out, assurance: 'registration' as const }, 201);
  },
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/resume',
    tags: ['ikd'],
    summary: 'New registration session for an application not yet active (same identity check and limits)',
    request: { body: jsonBody(IkdResumeRequest) },
    responses: { 200: ok(IkdSessionResponse), ...problems(404, 422, 429) },
  }),
  async (c) => {
    const out = await resume(c, c.req.valid('json'));
    return c.json({ ...out, assurance: 'registration' as const }, 200);
  },
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/activation/verify',
    tags: ['ikd'],
    summary: 'Check the emailed activation PIN for a link (counts toward the link’s 5 tries)',
    description: 'Errors: activation_link_invalid | _expired | _used | _dead | _revoked, pin_wrong (attemptsLeft); the 5th wrong PIN answers activation_link_dead.',
    request: { body: jsonBody(ActivationVerifyRequest) },
    responses: { 200: ok(ActivationVerifyResponse), ...problems(400, 403, 410, 422, 429) },
  }),
  async (c) => {
    const { token, activationPin } = c.req.valid('json');
    const db = c.env.DB;
    const now = Date.now();
    return countingActivationFailures(db, clientIp(c.req), async () => {
      const link = await openLink(c.env, db, token, now);
      const attemptsLeft = await checkActivationPin(c.env, db, link, activationPin, now);
      return c.json({ caseId: link.case_id, nikMasked: maskNik(link.nik), expiresAt: link.expires_at, attemptsLeft }, 200);
    });
  },
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/activation/complete',
    tags: ['ikd'],
    summary: 'Activate: link + activation PIN + own new PIN (the `activate` SOP action); then sign in with PIN and device',
    description: 'pin_weak (reason) is checked first and costs no try. Afterwards the link answers activation_link_used.',
    request: { body: jsonBody(ActivationCompleteRequest) },
    responses: { 200: ok(CaseResponse), ...problems(400, 403, 409, 410, 422, 429) },
  }),
  async (c) => {
    const { token, activationPin, pin, commandId } = c.req.valid('json');
    const db = c.env.DB;
    return countingActivationFailures(db, clientIp(c.req), async () => {
      const link = await openLink(c.env, db, token, Date.now());
      const row = await getCase(db, link.case_id);
      const resident = await registryFor(c.env).findResident(link.nik);
      if (!row || !resident) throw new ApiError('activation_link_invalid');
      // The link is the credential: the engine acts as the resident it was issued to.
      const ctx = engineContext(c, residentSessionFor(resident));
      return c.json({ case: await runAction(ctx, row, 'activate', { token, activationPin, pin }, commandId) }, 200);
    });
  },
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/challenge',
    tags: ['ikd'],
    summary: 'Sign-in step 1: a one-time challenge (32 bytes, 2 minutes) for the device key to sign',
    request: { body: jsonBody(ChallengeRequest) },
    responses: { 200: ok(ChallengeResponse), ...problems(422, 429) },
  }),
  async (c) => c.json(await challenge(c, c.req.valid('json')), 200),
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/login',
    tags: ['ikd'],
    summary: 'Sign-in step 2: NIK + PIN + ES256 signature over the challenge bytes; sets a full-assurance session',
    description:
      'Errors: challenge_invalid, device_not_bound, device_signature_invalid, device_blocked, ikd_not_active, pin_wrong (attemptsLeft), ' +
      'pin_locked (retryAfterSeconds; the 3rd wrong PIN locks 1 minute, then 2, 4 … 60).',
    request: { body: jsonBody(ResidentLoginRequest) },
    responses: { 200: ok(ResidentLoginResponse), ...problems(400, 403, 422, 429) },
  }),
  async (c) => c.json(await login(c, c.req.valid('json')), 200),
);

// ---- resident, signed in ----

ikdRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/ikd/me',
    tags: ['ikd'],
    summary: 'Account screen: case with its current step (standard time, due), devices, sign-in and device history',
    responses: { 200: ok(IkdMeResponse), ...problems(401, 403) },
  }),
  async (c) => c.json(await me(c.env, requireSession(c)), 200),
);

ikdRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/ikd/slots/free',
    tags: ['ikd'],
    summary: 'Bookable video-call slots of the resident’s office (default: the next two weeks)',
    request: { query: FreeSlotsQuery },
    responses: { 200: ok(FreeSlotsResponse), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const { from, to } = c.req.valid('query');
    return c.json(await freeSlots(c.env.DB, requireSession(c), from, to), 200);
  },
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/booking',
    tags: ['ikd'],
    middleware: [signedIn],
    summary: 'Book (registered) or reschedule (scheduled) a video call: `book_slot` / `reschedule`',
    description: 'Errors: slot_not_found, slot_unavailable (past, cancelled, same slot), slot_full (also when a racing booking took the last place).',
    request: { body: jsonBody(BookingRequest) },
    responses: { 200: ok(CaseResponse), ...problems(401, 403, 404, 409, 422) },
  }),
  async (c) => {
    const session = requireSession(c);
    const { slotId, commandId } = c.req.valid('json');
    const row = await ownOpenCase(c.env.DB, session);
    const action = row.state === 'scheduled' ? 'reschedule' : 'book_slot';
    return c.json({ case: await runAction(engineContext(c, session), row, action, { slotId }, commandId) }, 200);
  },
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/booking/cancel',
    tags: ['ikd'],
    middleware: [signedIn],
    summary: 'Cancel the booked video call: `cancel_slot` (back to registered; reminders withdrawn)',
    request: { body: jsonBody(CommandOnlyRequest) },
    responses: { 200: ok(CaseResponse), ...problems(401, 403, 404, 409, 422) },
  }),
  async (c) => {
    const session = requireSession(c);
    const row = await ownOpenCase(c.env.DB, session);
    return c.json({ case: await runAction(engineContext(c, session), row, 'cancel_slot', {}, c.req.valid('json').commandId) }, 200);
  },
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/device/key',
    tags: ['ikd'],
    middleware: [signedIn],
    summary: 'Register the phone’s public key (pending) and get the LOKETB1 QR for the operator to scan',
    description: 'Allowed while the case is registered, scheduled or verified. The nonce lives 15 minutes; call again for a fresh one.',
    request: { body: jsonBody(DeviceKeyRequest) },
    responses: { 200: ok(DeviceKeyResponse), ...problems(401, 403, 404, 409, 422) },
  }),
  async (c) => c.json(await registerDeviceKey(c.env.DB, requireSession(c), c.req.valid('json'), clientIp(c.req)), 200),
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/device/bind',
    tags: ['ikd'],
    middleware: [signedIn],
    summary: 'Bind after scanning the operator’s LOKETB2 QR: public key + signature over the QR text (`bind_device`)',
    description: 'Errors: binding_nonce_invalid, binding_nonce_expired, device_signature_invalid, device_in_use, illegal_action (case not verified).',
    request: { body: jsonBody(DeviceBindRequest) },
    responses: { 200: ok(CaseResponse), ...problems(400, 401, 403, 404, 409, 410, 422) },
  }),
  async (c) => {
    const session = requireResident(requireSession(c));
    const { qr, publicJwk, signature, commandId } = c.req.valid('json');
    const scanned = parseBindingQr(qr);
    if (!scanned || scanned.kind !== 'operator') throw new ApiError('binding_nonce_invalid', 'Bukan kode QR pengikatan dari petugas. / Not an officer’s binding QR code.');
    const row = await getCase(c.env.DB, scanned.caseId);
    if (!row || row.service !== 'ikd') throw new ApiError('case_not_found');
    const input = { direction: 'operator_qr', nonce: scanned.nonce, publicJwk, signature };
    return c.json({ case: await runAction(engineContext(c, session), row, 'bind_device', input, commandId) }, 200);
  },
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/device/release',
    tags: ['ikd'],
    middleware: [signedIn],
    summary: 'Lepas perangkat: release this device with the PIN (`release_device`); ends every session',
    description: 'Needs a full-assurance session (assurance_insufficient otherwise). Errors: pin_wrong, pin_locked.',
    request: { body: jsonBody(ReleaseRequest) },
    responses: { 200: ok(CaseResponse), ...problems(401, 403, 404, 409, 422, 429) },
  }),
  async (c) => {
    const session = requireSession(c);
    const { pin, commandId } = c.req.valid('json');
    const row = await ownOpenCase(c.env.DB, session);
    const view = await runAction(engineContext(c, session), row, 'release_device', { pin }, commandId);
    clearSessionCookie(c);
    return c.json({ case: view }, 200);
  },
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/pin',
    tags: ['ikd'],
    middleware: [signedIn],
    summary: 'Change PIN (ganti PIN): current PIN + new PIN (policy); other sessions end',
    request: { body: jsonBody(ChangePinRequest) },
    responses: { 204: { description: 'Changed' }, ...problems(401, 403, 422, 429) },
  }),
  async (c) => {
    await changePin(c, requireSession(c), c.req.valid('json'));
    return c.body(null, 204);
  },
);

// ---- staff ----

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/slots',
    tags: ['ikd'],
    middleware: [signedIn],
    summary: 'Open a video-call slot (operator for self, admin for an operator of the office)',
    description: 'Errors: slot_outside_hours (start to end must lie in one open interval of the office hours), slot_overlap.',
    request: { body: jsonBody(SlotCreateRequest) },
    responses: { 201: ok(SlotResponse, 'Created'), ...problems(401, 403, 409, 422) },
  }),
  async (c) => c.json({ slot: await createSlot(c.env.DB, requireSession(c), c.req.valid('json'), clientIp(c.req)) }, 201),
);

ikdRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/ikd/slots',
    tags: ['ikd'],
    summary: 'The office’s slots of a local day (default today) with their bookings',
    request: { query: SlotsQuery },
    responses: { 200: ok(SlotsResponse), ...problems(401, 403, 422) },
  }),
  async (c) => c.json(await staffSlots(c.env.DB, requireSession(c), c.req.valid('query').date), 200),
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/slots/{id}/cancel',
    tags: ['ikd'],
    summary: 'Cancel an unbooked slot (slot_booked when residents booked it)',
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 204: { description: 'Cancelled' }, ...problems(401, 403, 404, 409) },
  }),
  async (c) => {
    await cancelSlot(c.env.DB, requireSession(c), c.req.valid('param').id, clientIp(c.req));
    return c.body(null, 204);
  },
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ikd/cases/{id}/binding-nonce',
    tags: ['ikd'],
    summary: 'Operator’s LOKETB2 QR for a verified case of the office (15 minutes, one use)',
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 200: ok(BindingNonceResponse), ...problems(401, 403, 404, 409) },
  }),
  async (c) => c.json(await operatorNonce(c.env.DB, requireSession(c), c.req.valid('param').id, clientIp(c.req)), 200),
);

ikdRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/ikd/queue',
    tags: ['ikd'],
    summary: 'Today’s IKD queue of the office: video calls and counter visitors with step, due time, overrun and actions',
    responses: { 200: ok(QueueResponse), ...problems(401, 403) },
  }),
  async (c) => c.json(await queue(c.env.DB, requireSession(c)), 200),
);

ikdRoutes.openapi(
  createRoute({
    method: 'post',
    // A lookup, not a change: POST only so the NIK travels in the body, never in a URL or a request log (issue 8).
    path: '/api/ikd/residents/match-attempts',
    tags: ['ikd'],
    summary: 'Identity checks of a resident of the office, with which fields differed (staff only); the NIK in the body',
    // Before body validation: a caller without a session learns 401, not the contract.
    middleware: [async (c, next) => { requireSession(c); await next(); }],
    request: { body: jsonBody(z.object({ nik: z.string().regex(/^\d{16}$/) })) },
    responses: { 200: ok(MatchAttemptsResponse), ...problems(400, 401, 403, 404, 422) },
  }),
  async (c) => c.json(await matchAttempts(c.env, requireSession(c), c.req.valid('json').nik), 200),
);
