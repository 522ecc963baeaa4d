/**
 * The audit log's anchors for the office's admin: sign a checkpoint now (the cron does it every minute) and verify
 * the whole log against the keys and every checkpoint — the same check `npm run audit:verify` makes locally.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { withAudit, auditKeys } from '../audit';
import { verifyAudit } from '../audit-seal';
import { sealAndCheckpoint } from '../after-write';
import { clientIp } from '../auth/throttle';
import { newApi, ok, problems } from '../api';
import { requireRole } from '../middleware/session';

export const auditRoutes = newApi();

const CheckpointResponse = z.object({
  sealed: z.number().int(),
  checkpoint: z.object({ seq: z.number().int(), hash: z.string(), at: z.string(), key: z.string(), created: z.boolean() }).nullable(),
});

const VerifyResponse = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  sealed: z.number().int().optional(),
  checkpoints: z.number().int().optional(),
  brokenAt: z.number().int().optional(),
  reason: z.string().optional(),
  invalidCheckpoints: z.array(z.string()),
});

auditRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/audit/checkpoint',
    tags: ['audit'],
    summary: 'Seal the audit log and sign a checkpoint of its head into R2 now (the office admin)',
    responses: { 200: ok(CheckpointResponse), ...problems(401, 403) },
  }),
  async (c) => {
    const session = requireRole(c, 'admin');
    const { sealed, checkpoint } = await sealAndCheckpoint(c.env);
    await withAudit(c.env.DB, [{ actor: `staff:${session.subjectId}`, action: 'audit.checkpoint', object: 'audit:log', ip: clientIp(c.req), detail: { seq: checkpoint?.seq ?? 0 } }], () => []);
    return c.json({ sealed: sealed.sealed, checkpoint }, 200);
  },
);

auditRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/audit/verify',
    tags: ['audit'],
    summary: 'Verify every link and checkpoint of the audit log; names the first broken entry (the office admin)',
    responses: { 200: ok(VerifyResponse), ...problems(401, 403) },
  }),
  async (c) => {
    requireRole(c, 'admin');
    const report = await verifyAudit(c.env, auditKeys(c.env.AUDIT_KEYS));
    return c.json(report, 200);
  },
);
