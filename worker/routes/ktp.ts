/**
 * Digital KTP over HTTP: the office's public keys (/.well-known/jwks.json), the public blocked-device list, the
 * credential for a signed-in resident's bound device, and the online verify endpoint for institutions.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { DISCLOSABLE, KTP_STATUSES, QR_BUDGET_BYTES, b64u } from '../../schema/ktp';
import { jsonBody, newApi, ok, problems } from '../api';
import { clientIp, type Limit, Throttle } from '../auth/throttle';
import { ApiError } from '../errors';
import { officeKeys } from '../keys';
import { blockedList, verifyOnline } from '../ktp/checker';
import { issueForSession } from '../ktp/credential';
import { ownDeviceStatus } from '../ktp/status';
import { requireSession } from '../middleware/session';

export const ktpRoutes = newApi();

/** Public lists may sit in caches a little: checkers refresh them when online and show their age. */
const JWKS_MAX_AGE = 300;
const BLOCKED_MAX_AGE = 60;

/** Per client IP: 60 verifications a minute, then wait for the minute to end (every call counts, not only failures). */
export function verifyLimits(ip: string): Limit[] {
  return [{ key: `ktp-verify:ip:${ip}`, policy: { limit: 60, windowMs: 60_000, lockedUntil: (_f, windowStart) => windowStart + 60_000 } }];
}

const PublicJwk = z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string(), kid: z.string(), alg: z.literal('ES256'), use: z.literal('sig') });
const Jwks = z.object({ keys: z.array(PublicJwk) }).openapi('Jwks');

ktpRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/.well-known/jwks.json',
    tags: ['ktp'],
    summary: "The office's public signing keys (ES256, by kid); old keys stay until what they signed has expired",
    responses: { 200: ok(Jwks) },
  }),
  async (c) => {
    const { jwks } = await officeKeys(c.env);
    c.header('cache-control', `public, max-age=${JWKS_MAX_AGE}`);
    return c.json(jwks as z.infer<typeof Jwks>, 200);
  },
);

const BlockedList = z
  .object({
    thumbprints: z.array(z.string()).openapi({ description: 'RFC 7638 SHA-256 thumbprints (base64url) of blocked or released device keys' }),
    generatedAt: z.number().int().openapi({ description: 'Epoch ms when the list was read from the database' }),
  })
  .openapi('KtpBlockedList');

ktpRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/ktp/blocked',
    tags: ['ktp'],
    summary: 'Device keys whose digital KTP must be refused (lost phone, released device); public, no personal data',
    responses: { 200: ok(BlockedList) },
  }),
  async (c) => {
    c.header('cache-control', `public, max-age=${BLOCKED_MAX_AGE}`);
    return c.json(await blockedList(c.env, Date.now()), 200);
  },
);

const OwnDeviceRequest = z
  .strictObject({
    nik: z.string().regex(/^\d{16}$/),
    challengeId: z.string().min(1).max(64),
    signature: z.string().min(1).max(200).openapi({ description: 'ES256 (raw r‖s, base64url) by the device key over the challenge bytes' }),
  })
  .openapi('KtpOwnDeviceRequest');
const OwnDeviceAnswer = z
  .object({
    status: z.enum(['bound', 'blocked', 'released', 'not_bound']),
    changedAt: z.number().int().nullable().openapi({ description: 'Epoch ms of the block or release' }),
    serverTime: z.number().int().openapi({ description: "The server's clock, epoch ms: phones correct their presentations by it" }),
  })
  .openapi('KtpOwnDeviceStatus');

ktpRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ktp/device-status',
    tags: ['ktp'],
    summary: 'The phone asks whether its own device key is still bound, blocked or released, before it shows a digital KTP',
    description: 'Get a challenge from POST /api/ikd/challenge (nik + thumbprint) and sign its bytes with the device key. No PIN, no session. Errors: challenge_invalid, device_signature_invalid.',
    request: { body: jsonBody(OwnDeviceRequest) },
    responses: { 200: ok(OwnDeviceAnswer), ...problems(400, 403, 422) },
  }),
  async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await ownDeviceStatus(c, c.req.valid('json')), 200);
  },
);

const IssuedCredential = z
  .object({
    credential: z.string().openapi({ description: 'Compact credential bytes, base64url (the first part of every QR)' }),
    disclosures: z.object(Object.fromEntries(DISCLOSABLE.map((k) => [k, z.string()])) as Record<(typeof DISCLOSABLE)[number], z.ZodString>).openapi({
      description: 'Per claim: salt ‖ value, base64url; the phone reveals a claim by putting its disclosure in a presentation',
    }),
    kid: z.string(),
    issuedAt: z.number().int().openapi({ description: 'Epoch seconds' }),
    expiresAt: z.number().int().openapi({ description: 'Epoch seconds' }),
    deviceThumbprint: z.string(),
    jws: z.string().openapi({ description: 'The same credential as a JWS Compact Serialization, header {alg:"ES256",kid,typ:"ktp-cred"}' }),
    holder: z.object({ name: z.string(), nikMasked: z.string() }),
  })
  .openapi('KtpCredential');

ktpRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/ktp/credential',
    tags: ['ktp'],
    summary: "A fresh digital-KTP credential for the signed-in resident's bound device (PIN + device sign-in, active IKD)",
    request: { query: z.object({ thumbprint: z.string().max(64).optional().openapi({ description: "The app's device key; refused unless it is the bound one" }) }) },
    responses: { 200: ok(IssuedCredential), ...problems(401, 403, 404) },
  }),
  async (c) => {
    const session = requireSession(c);
    const { thumbprint } = c.req.valid('query');
    const issued = await issueForSession(c.env, session, { thumbprint, now: Date.now(), ip: c.req.header('cf-connecting-ip') ?? null });
    c.header('cache-control', 'no-store');
    return c.json(issued, 200);
  },
);

const VerifyRequest = z
  .union([
    z.strictObject({
      qr: z
        .string()
        .min(1)
        .max(Math.ceil((QR_BUDGET_BYTES * 4) / 3) + 4)
        .regex(/^[A-Za-z0-9_-]+$/)
        .openapi({ description: 'The scanned QR code bytes, base64url' }),
    }),
    z.strictObject({
      credential: z.string().min(1).max(2000).openapi({ description: 'Credential as JWS Compact Serialization' }),
      presentation: z.string().min(1).max(2000).openapi({ description: 'Presentation as JWS Compact Serialization' }),
    }),
  ])
  .openapi('KtpVerifyRequest');

const Address = z.object({ street: z.string(), districtCode: z.string() });
const KtpCheck = z
  .object({
    status: z.enum(KTP_STATUSES).openapi({ description: 'valid, or why not: expired, not_yet_valid, replayed, tampered, blocked, unknown_key, malformed' }),
    reason: z.string().openapi({ description: 'Finer stable reason, e.g. presentation, credential, office_signature, device_signature, nonce, kid' }),
    holder: z
      .object({ name: z.string(), nikMasked: z.string(), ageOver17: z.boolean(), nik: z.string().optional(), birthDate: z.string().optional(), address: Address.optional() })
      .optional()
      .openapi({ description: 'Only on valid: the defaults and what the resident chose to reveal' }),
    credential: z.object({ kid: z.string(), officeCode: z.string(), issuedAt: z.number(), expiresAt: z.number(), deviceThumbprint: z.string() }).optional(),
    presentation: z.object({ issuedAt: z.number(), expiresAt: z.number() }).optional(),
  })
  .openapi('KtpCheck');

ktpRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ktp/verify',
    tags: ['ktp'],
    summary: 'Verify a digital KTP online (for institutions): same rules as the offline checker plus live device status',
    description:
      'Send the QR bytes (base64url) or the JWS form. Each presentation verifies once here (a second call answers replayed). ' +
      'No session needed; 60 calls a minute per client address. Server-to-server callers need no Origin header; the call must not carry a session cookie.',
    request: { body: jsonBody(VerifyRequest) },
    responses: { 200: ok(z.object({ result: KtpCheck, checkedAt: z.number().int() })), ...problems(403, 422, 429) },
  }),
  async (c) => {
    const limits = verifyLimits(clientIp(c.req));
    const throttle = new Throttle(c.env.DB);
    await throttle.assertAllowed(limits);
    await throttle.fail(limits);
    const body = c.req.valid('json');
    const now = Date.now();
    let input;
    if ('qr' in body) {
      try {
        input = b64u.decode(body.qr);
      } catch {
        throw new ApiError('validation_failed', 'qr: not base64url');
      }
    } else {
      input = { credential: body.credential, presentation: body.presentation };
    }
    const result = await verifyOnline(c.env, input, now);
    c.header('cache-control', 'no-store');
    return c.json({ result, checkedAt: now }, 200);
  },
);
