/** Audit-log helpers for worker tests: seal what is written, checkpoint it, verify it as `audit:verify` does. */
import { env } from 'cloudflare:test';
import { auditKeys } from '../../../worker/audit';
import { legacyAllowedBy, sealAudit, verifyAudit } from '../../../worker/audit-seal';
import { sealAndCheckpoint } from '../../../worker/after-write';
import type { Env } from '../../../worker/env';

export const workerEnv = () => env as unknown as Env;
export const keys = () => auditKeys(env.AUDIT_KEYS);

export async function seal() {
  return sealAudit(env.DB, keys(), { legacyAllowed: legacyAllowedBy(env.AUDIT_ANCHORS) });
}

export function checkpoint() {
  return sealAndCheckpoint(workerEnv());
}

export function verify() {
  return verifyAudit(workerEnv(), keys());
}
