/**
 * The KTP-el counter's own routes (seed 001 KTP-el steps 4–5): pickup by scanning the receipt QR (checked, then the
 * card handed over through the SOP engine's `collect`), and the office's blank stock (used and spoiled blanks).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { errors } from 'jose';
import { CaseView, CommandResult } from '../../schema/contracts/sync';
import { maskNik } from '../../schema/nik';
import { RECEIPT_AUDIENCE, RECEIPT_TYP, ReceiptClaims } from '../../schema/receipt';
import { parseReceiptText, verifyCompactReceipt } from '../../schema/receipt-qr';
import { SPOIL_REASONS } from '../../schema/workflows/ktpel';
import { jsonBody, newApi, ok, problems } from '../api';
import { caseView } from '../case-view';
import { type CaseRow, getCase, getCommand } from '../db/cases';
import { blankStock } from '../db/ktpel';
import { registryFor } from '../db/registry';
import { applyCommand } from '../engine';
import type { Env } from '../env';
import { ApiError } from '../errors';
import { officeKeys, verifyToken } from '../keys';
import type { Session } from '../middleware/session';
import { requireRole } from '../middleware/session';

export const ktpelRoutes = newApi();

/** What the scanner read: the receipt's check link (compact `#r=` or an older `#t=` JWT). */
const PickupScan = z.object({ qr: z.string().min(1).max(2048) });

const PickupReceipt = z.object({
  number: z.string(),
  name: z.string(),
  nikMasked: z.string(),
  acceptedAt: z.number().int(),
  format: z.enum(['compact', 'jwt']),
});

interface CheckedPickup {
  row: CaseRow;
  receipt: z.infer<typeof PickupReceipt>;
}

/** Reads and verifies a scanned receipt; the reason it is refused, in Indonesian and English, when it is not usable. */
async function readReceipt(env: Env, qr: string, now: number): Promise<z.infer<typeof PickupReceipt> & { officeCode: string }> {
  const scanned = parseReceiptText(qr.trim());
  if (scanned.kind === 'compact') {
    const check = await verifyCompactReceipt(scanned.bytes, (await officeKeys(env)).jwks.keys, now);
    if (check.status === 'expired') throw new ApiError('receipt_expired', 'Resi sudah kedaluwarsa / the receipt has expired');
    if (check.status !== 'valid') throw new ApiError('receipt_invalid', `Resi tidak asli (${check.status}) / not a genuine receipt (${check.status})`);
    const r = check.receipt;
    return { number: r.number, name: r.name, nikMasked: r.nikMasked, acceptedAt: r.acceptedAt, officeCode: r.officeCode, format: 'compact' };
  }
  if (scanned.kind === 'jwt') {
    try {
      const claims = ReceiptClaims.parse(await verifyToken(env, scanned.token, { typ: RECEIPT_TYP, audience: RECEIPT_AUDIENCE, clockToleranceSeconds: 60 }, now));
      return { number: claims.sub, name: claims.nm, nikMasked: claims.nik, acceptedAt: claims.acc, officeCode: claims.off, format: 'jwt' };
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new ApiError('receipt_expired', 'Resi sudah kedaluwarsa / the receipt has expired');
      throw new ApiError('receipt_invalid', 'Resi tidak asli / not a genuine receipt');
    }
  }
  throw new ApiError('receipt_invalid', 'Kode QR ini bukan resi KTP-el / this QR code is not a KTP-el receipt');
}

/** The receipt is genuine, this office's, its case exists and its card waits at the counter. */
async function checkPickup(env: Env, session: Session, qr: string, now: number): Promise<CheckedPickup> {
  const receipt = await readReceipt(env, qr, now);
  if (receipt.officeCode !== session.officeCode) {
    throw new ApiError('receipt_other_office', `Resi dari kantor ${receipt.officeCode} / receipt of office ${receipt.officeCode}`);
  }
  const row = await getCase(env.DB, receipt.number);
  if (!row || row.service !== 'ktpel') throw new ApiError('case_not_found');
  if (row.office_code !== session.officeCode) throw new ApiError('receipt_other_office');
  // The office signed both; a mismatch means the case was not the one the receipt was issued for.
  if (!row.resident_nik || maskNik(row.resident_nik) !== receipt.nikMasked) throw new ApiError('receipt_invalid', 'Resi tidak cocok dengan berkas / receipt does not match the case');
  if (row.state === 'collected') {
    throw new ApiError('receipt_already_collected', `KTP-el resi ini sudah diserahkan / already collected (${new Date(row.updated_at).toISOString()})`);
  }
  if (row.state !== 'ready') throw new ApiError('card_not_ready', `Status berkas: ${row.state} / case state: ${row.state}`);
  const { officeCode: _office, ...shown } = receipt;
  return { row, receipt: shown };
}

ktpelRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ktpel/pickup/check',
    tags: ['ktpel'],
    summary: 'Front office: check a scanned receipt before handing the card over',
    request: { body: jsonBody(PickupScan) },
    responses: { 200: ok(z.object({ receipt: PickupReceipt, case: CaseView })), ...problems(401, 403, 404, 409, 410, 422) },
  }),
  async (c) => {
    const session = requireRole(c, 'front_office');
    const { row, receipt } = await checkPickup(c.env, session, c.req.valid('json').qr, Date.now());
    return c.json({ receipt, case: await caseView(c.env.DB, row) }, 200);
  },
);

ktpelRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/ktpel/pickup',
    tags: ['ktpel'],
    summary: 'Front office: hand the card over against its scanned receipt (the SOP action collect)',
    request: { body: jsonBody(PickupScan.extend({ commandId: z.string().uuid() })) },
    responses: { 200: ok(z.object({ result: CommandResult })), ...problems(401, 403, 404, 409, 410, 422) },
  }),
  async (c) => {
    const session = requireRole(c, 'front_office');
    const { qr, commandId } = c.req.valid('json');
    const ctx = { db: c.env.DB, session, ip: c.req.header('cf-connecting-ip') ?? null, now: Date.now(), registry: registryFor(c.env) };
    const seen = await getCommand(c.env.DB, commandId);
    if (seen) {
      // A retry of a hand-over that went through: the engine answers `duplicate` with the first result.
      const first = JSON.parse(seen.result_json) as { caseId?: string };
      return c.json({ result: await applyCommand(ctx, { id: commandId, type: 'action', caseId: first.caseId ?? '', action: 'collect', baseVersion: 0, input: {} }) }, 200);
    }
    const { row } = await checkPickup(c.env, session, qr, ctx.now);
    const result = await applyCommand(ctx, { id: commandId, type: 'action', caseId: row.id, action: 'collect', baseVersion: row.version, input: { via: 'receipt_scan' } });
    return c.json({ result }, 200);
  },
);

const BlankStock = z.object({
  officeCode: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  used: z.number().int(),
  spoiled: z.number().int(),
  spoiledByReason: z.record(z.string(), z.number().int()),
  spoiledBlanks: z.array(z.object({ serial: z.string(), caseId: z.string(), reason: z.string().nullable(), note: z.string().nullable(), at: z.number().int() })),
});

ktpelRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/ktpel/blanks',
    tags: ['ktpel'],
    summary: "The office's KTP-el blanks used and spoiled in a period (default: the last 30 days)",
    request: { query: z.object({ from: z.coerce.number().int().min(0).optional(), to: z.coerce.number().int().min(0).optional() }) },
    responses: { 200: ok(BlankStock), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const session = requireRole(c, 'operator', 'admin', 'head_of_division', 'head_of_office');
    const q = c.req.valid('query');
    const to = q.to ?? Date.now() + 1;
    const from = q.from ?? to - 30 * 24 * 60 * 60 * 1000;
    if (from >= to) throw new ApiError('validation_failed', '"from" harus sebelum "to" / "from" must be before "to"');
    const { counts, spoiled } = await blankStock(c.env.DB, session.officeCode, from, to);
    const spoiledByReason = Object.fromEntries(SPOIL_REASONS.map((r) => [r, 0])) as Record<string, number>;
    let used = 0;
    let spoiledCount = 0;
    for (const row of counts) {
      if (row.outcome === 'used') used += row.n;
      else {
        spoiledCount += row.n;
        spoiledByReason[row.reason ?? 'other'] = (spoiledByReason[row.reason ?? 'other'] ?? 0) + row.n;
      }
    }
    return c.json(
      {
        officeCode: session.officeCode, from, to, used, spoiled: spoiledCount, spoiledByReason,
        spoiledBlanks: spoiled.map((b) => ({ serial: b.serial, caseId: b.case_id, reason: b.reason, note: b.note, at: b.at })),
      },
      200,
    );
  },
);
