/**
 * Signing and verifying birth certificates: the head of office signs one or many cases after re-entering the
 * password (seed 002 step 6); certificates and their expiring links for the office; public verification of a QR
 * or of an uploaded PDF; the signed list of revoked certificates the offline checker caches; document downloads.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { verifyCertificateQr } from '../../schema/birth-qr';
import { SignRequest } from '../../schema/contracts/birth';
import { uuid7 } from '../../schema/ids';
import { b64u } from '../../schema/ktp/bytes';
import { jsonBody, newApi, ok, problems } from '../api';
import { withAudit } from '../audit';
import { partnerMayAccess } from '../birth/access';
import { sha256Hex } from '../birth/hash';
import { issueCertificate } from '../birth/issue';
import { DECOY_PASSWORD_HASH, toBase64Url, verifyPassword } from '../auth/password';
import { ACCOUNT_POLICY, clientIp, type Limit, Throttle, type ThrottlePolicy } from '../auth/throttle';
import * as bdb from '../db/birth';
import { getCase } from '../db/cases';
import { findOffice } from '../db/offices';
import { registryFor } from '../db/registry';
import { findUserById } from '../db/users';
import { issueSignGrant } from '../documents/sign-grant';
import { documentLink, openDocumentLink } from '../documents/store';
import { applyCommand } from '../engine';
import { ApiError } from '../errors';
import { officeKeys, signToken } from '../keys';
import { requireRole, requireSession } from '../middleware/session';
import { readLimited } from './birth-files';

export const birthSignRoutes = newApi();

const PDF_CHECK_MAX_BYTES = 10 * 1024 * 1024;
export const CRL_TYP = 'birth-crl+jwt';
export const CRL_AUDIENCE = 'loket:birth-crl';

const SignResult = z.object({
  caseId: z.string(),
  status: z.enum(['applied', 'duplicate', 'conflict', 'rejected', 'deferred']),
  registerNo: z.string().optional(),
  documentReady: z.boolean().optional(),
  /** Server time spent building and signing the document (benchmarks, slow-signature diagnosis). */
  timings: z.object({ pdfMs: z.number(), signMs: z.number() }).optional(),
  problem: z.object({ code: z.string(), detail: z.string().optional() }).optional(),
});

birthSignRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/birth/sign',
    tags: ['birth'],
    summary: 'Sign one or many birth certificates (head of office), re-entering the password at that moment',
    request: { body: jsonBody(SignRequest.extend({ passphrase: z.string().min(1).max(200).optional(), totp: z.string().regex(/^\d{6}$/).optional() })) },
    responses: { 200: ok(z.object({ results: z.array(SignResult) })), ...problems(401, 403, 422, 429) },
  }),
  async (c) => {
    const session = requireRole(c, 'head_of_office');
    const body = c.req.valid('json');
    const db = c.env.DB;
    const ip = clientIp(c.req);
    const limits = [{ key: `birth-sign:user:${session.subjectId}`, policy: ACCOUNT_POLICY }];
    const throttle = new Throttle(db);
    await throttle.assertAllowed(limits);
    const user = await findUserById(db, session.subjectId);
    if (!(await verifyPassword(body.password, user?.passwordHash ?? DECOY_PASSWORD_HASH, c.env.PEPPER)) || !user) {
      await throttle.fail(limits);
      await withAudit(db, [{ actor: `staff:${session.subjectId}`, action: 'birth.sign.reauth_failed', object: `user:${session.subjectId}`, ip }], () => []);
      throw new ApiError('current_password_wrong', 'Kata sandi salah / wrong password');
    }
    await throttle.reset(limits[0]!.key);
    const grant = await issueSignGrant(db, session);

    const ctx = { db, session, ip, now: Date.now(), registry: registryFor(c.env) };
    const results: z.infer<typeof SignResult>[] = [];
    for (const item of body.cases) {
      const r = await applyCommand({ ...ctx, now: Date.now() }, { id: uuid7(), type: 'action', caseId: item.id, action: 'sign', baseVersion: item.version, input: { grant } });
      if (r.status !== 'applied') {
        results.push({ caseId: item.id, status: r.status, ...(r.problem ? { problem: { code: r.problem.code, detail: r.problem.detail } } : {}) });
        continue;
      }
      const cert = (await bdb.certificatesOfCase(db, item.id)).find((x) => x.case_version === r.case!.version)!;
      let documentReady = false;
      let timings: { pdfMs: number; signMs: number } | undefined;
      try {
        timings = (await issueCertificate(c.env, cert.register_no, { passphrase: body.passphrase, totp: body.totp })).timings;
        documentReady = true;
      } catch (err) {
        // Signed and numbered: the document is finished by POST /api/birth/certificates/{no}/issue (the operator's retry).
        console.error(JSON.stringify({ event: 'birth.issue_failed', registerNo: cert.register_no, error: err instanceof Error ? err.message : String(err) }));
      }
      results.push({ caseId: item.id, status: 'applied', registerNo: cert.register_no, documentReady, ...(timings ? { timings } : {}) });
    }
    return c.json({ results }, 200);
  },
);

const Certificate = z.object({
  registerNo: z.string(),
  status: z.enum(['pending_document', 'issued', 'revoked']),
  signedAt: z.number(),
  pdfSha256: z.string().nullable(),
  revokedAt: z.number().nullable(),
  revokeReason: z.string().nullable(),
  downloadUrl: z.string().nullable(),
  /** The QR printed on the certificate (base64url of its bytes), for the office screen and reprints. */
  qr: z.string().nullable(),
});

birthSignRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/birth/cases/{id}/certificates',
    tags: ['birth'],
    summary: "A case's certificates (revoked ones too) with a fresh expiring download link, and the parent's message delivery",
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 200: ok(z.object({ certificates: z.array(Certificate), delivery: z.array(z.object({ channel: z.string(), status: z.string(), lastError: z.string().nullable() })) })), ...problems(401, 403, 404) },
  }),
  async (c) => {
    const session = requireSession(c);
    const row = await getCase(c.env.DB, c.req.valid('param').id);
    if (!row || row.service !== 'birth') throw new ApiError('case_not_found');
    if (session.subjectType !== 'staff' || row.office_code !== session.officeCode || !partnerMayAccess(session, row)) throw new ApiError('forbidden_object');
    const [certs, delivery] = await Promise.all([bdb.certificatesOfCase(c.env.DB, row.id), bdb.deliveryOf(c.env.DB, row.id)]);
    const certificates = await Promise.all(
      certs.map(async (x) => ({
        registerNo: x.register_no, status: x.status, signedAt: x.signed_at, pdfSha256: x.pdf_sha256, revokedAt: x.revoked_at, revokeReason: x.revoke_reason,
        downloadUrl: x.r2_key ? await documentLink(c.env, x.r2_key, `akta-kelahiran-${x.register_no}.pdf`, 3600) : null,
        qr: x.qr,
      })),
    );
    return c.json({ certificates, delivery: delivery.map((d) => ({ channel: d.channel, status: d.status, lastError: d.last_error })) }, 200);
  },
);

birthSignRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/birth/certificates/{no}/issue',
    tags: ['birth'],
    summary: 'Finish a signed certificate whose document failed to build or sign (operator or head of office); does nothing when issued',
    request: { params: z.object({ no: z.string().max(40) }), body: jsonBody(z.strictObject({ passphrase: z.string().min(1).max(200).optional() })) },
    responses: { 200: ok(z.object({ registerNo: z.string(), status: z.string() })), ...problems(401, 403, 404, 502) },
  }),
  async (c) => {
    const session = requireRole(c, 'operator', 'head_of_office');
    const cert = await bdb.getCertificate(c.env.DB, c.req.valid('param').no);
    if (!cert || cert.office_code !== session.officeCode) throw new ApiError('certificate_not_found');
    const out = await issueCertificate(c.env, cert.register_no, { passphrase: c.req.valid('json').passphrase });
    return c.json({ registerNo: out.certificate.register_no, status: out.certificate.status }, 200);
  },
);

birthSignRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/documents/{token}',
    tags: ['documents'],
    summary: 'Download a document by its expiring signed link',
    request: { params: z.object({ token: z.string().max(2000) }) },
    responses: { 200: { description: 'The PDF' }, ...problems(403, 404) },
  }),
  async (c) => {
    const { key, filename } = await openDocumentLink(c.env, c.req.valid('param').token);
    const obj = await c.env.FILES.get(key);
    if (!obj) throw new ApiError('not_found');
    return new Response(obj.body, {
      headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`, 'x-content-type-options': 'nosniff', 'cache-control': 'private, no-store', 'referrer-policy': 'no-referrer' },
    });
  },
);

// ---- public verification ----

const MINUTE = 60_000;
const perWindow = (limit: number, windowMs: number): ThrottlePolicy => ({ limit, windowMs, lockedUntil: (_f, start) => start + windowMs });
/**
 * Public checks cost a signature check and a D1 read (a PDF: up to 10 MB hashed), so every call counts, per client
 * address: a checker at a desk verifies a certificate every few seconds at most; a script hammering the office does
 * not get past the window. Each route has its own counter, so uploading PDFs does not use up QR checks.
 */
export const BIRTH_PUBLIC_LIMITS = {
  verify: perWindow(60, MINUTE),
  verifyPdf: perWindow(20, 15 * MINUTE),
  revocations: perWindow(30, MINUTE),
} as const;

/** Charges one call of `route` to the caller's address, refusing it (429 with Retry-After) once the window is spent. */
async function chargePublicCall(db: D1Database, route: keyof typeof BIRTH_PUBLIC_LIMITS, ip: string): Promise<void> {
  const limits: Limit[] = [{ key: `birth-${route}:ip:${ip}`, policy: BIRTH_PUBLIC_LIMITS[route] }];
  const throttle = new Throttle(db);
  await throttle.assertAllowed(limits);
  await throttle.fail(limits);
}

const Verification = z.object({
  status: z.enum(['valid', 'revoked', 'tampered', 'unknown_key', 'malformed', 'not_found']),
  registerNo: z.string().optional(),
  childName: z.string().optional(),
  birthDate: z.string().optional(),
  officeCode: z.string().optional(),
  officeName: z.string().optional(),
  signedAt: z.number().optional(),
  revokedAt: z.number().nullable().optional(),
  revokeReason: z.string().nullable().optional(),
  pdfSha256: z.string().nullable().optional(),
});

birthSignRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/birth/verify',
    tags: ['birth'],
    summary: "Verify a certificate QR online (public): signature, and the certificate's live status",
    description: 'No session needed; 60 calls a minute per client address.',
    request: { body: jsonBody(z.strictObject({ qr: z.string().min(10).max(600).regex(/^[A-Za-z0-9_-]+$/) })) },
    responses: { 200: ok(Verification), ...problems(422, 429) },
  }),
  async (c) => {
    await chargePublicCall(c.env.DB, 'verify', clientIp(c.req));
    const bytes = b64u.decode(c.req.valid('json').qr);
    const { jwks } = await officeKeys(c.env);
    const check = await verifyCertificateQr(bytes, { keys: jwks });
    if (check.status !== 'valid' && check.status !== 'revoked') return c.json({ status: check.status }, 200);
    const cert = await bdb.getCertificate(c.env.DB, check.registerNo);
    if (!cert) return c.json({ status: 'not_found' as const, registerNo: check.registerNo }, 200);
    const office = await findOffice(c.env.DB, cert.office_code);
    return c.json(
      {
        status: cert.status === 'revoked' ? ('revoked' as const) : ('valid' as const),
        registerNo: cert.register_no, childName: check.claims.childName, birthDate: check.claims.birthDate,
        officeCode: cert.office_code, officeName: office?.name, signedAt: cert.signed_at,
        revokedAt: cert.revoked_at, revokeReason: cert.revoke_reason, pdfSha256: cert.pdf_sha256,
      },
      200,
    );
  },
);

birthSignRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/birth/verify-pdf',
    tags: ['birth'],
    summary: 'Is this PDF exactly a certificate the office signed? (public; the file body, at most 10 MB)',
    description: 'No session needed; 20 files per 15 minutes per client address (checked before the body is read).',
    responses: { 200: ok(z.object({ match: z.boolean(), sha256: z.string(), certificate: Verification.optional() })), ...problems(413, 429) },
  }),
  async (c) => {
    await chargePublicCall(c.env.DB, 'verifyPdf', clientIp(c.req));
    const bytes = await readLimited(c, PDF_CHECK_MAX_BYTES);
    const sha256 = await sha256Hex(bytes);
    const cert = await bdb.getCertificateByPdfHash(c.env.DB, sha256);
    if (!cert) return c.json({ match: false, sha256 }, 200);
    return c.json({ match: true, sha256, certificate: { status: cert.status === 'revoked' ? ('revoked' as const) : ('valid' as const), registerNo: cert.register_no, signedAt: cert.signed_at, revokedAt: cert.revoked_at, revokeReason: cert.revoke_reason, officeCode: cert.office_code } }, 200);
  },
);

birthSignRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/birth/revocations/{office}',
    tags: ['birth'],
    summary: "The office's signed list of revoked birth certificates, for the offline checker's cache (public)",
    description: 'No session needed; 30 calls a minute per client address.',
    request: { params: z.object({ office: z.string().regex(/^\d{2}\.\d{2}$/) }) },
    responses: { 200: ok(z.object({ token: z.string() })), ...problems(404, 429) },
  }),
  async (c) => {
    await chargePublicCall(c.env.DB, 'revocations', clientIp(c.req));
    const code = c.req.valid('param').office;
    if (!(await findOffice(c.env.DB, code))) throw new ApiError('not_found');
    const revoked = (await bdb.revokedOfOffice(c.env.DB, code)).map((r) => r.register_no);
    const token = await signToken(c.env, { typ: CRL_TYP, audience: CRL_AUDIENCE, ttlSeconds: 30 * 24 * 3600 }, { off: code, revoked });
    return c.json({ token }, 200);
  },
);

