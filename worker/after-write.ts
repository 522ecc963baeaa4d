/**
 * Work that follows a committed write, off the request's path: link the new audit entries into the chain and send
 * the messages the write queued (the cron remains the retry path for both). Runs from `waitUntil`.
 */
import { auditKeys } from './audit';
import { checkpointAudit, legacyAllowedBy, sealAudit } from './audit-seal';
import type { Env } from './env';
import { deliverDue } from './notify/deliver';

let running = false;
let again = false;

const logFailure = (event: string) => (err: unknown) => {
  console.error(JSON.stringify({ level: 'error', event, error: err instanceof Error ? err.name : 'error', message: err instanceof Error ? err.message : '' }));
};

/**
 * One loop per isolate: a write that lands while the loop runs asks it for one more round instead of starting
 * a second loop (concurrent sealers would be harmless, only wasted work).
 */
export async function afterWrite(env: Env): Promise<void> {
  if (running) {
    again = true;
    return;
  }
  running = true;
  try {
    do {
      again = false;
      await sealAudit(env.DB, auditKeys(env.AUDIT_KEYS), { legacyAllowed: legacyAllowedBy(env.AUDIT_ANCHORS) }).catch(logFailure('audit_seal_failed'));
      if (env.DELIVERY !== 'cron') await deliverDue(env, Date.now()).catch(logFailure('deliver_due_failed'));
    } while (again);
  } finally {
    running = false;
  }
}

/** The cron's share: seal whatever is left, then sign a checkpoint of the sealed head into R2. */
export async function sealAndCheckpoint(env: Env, now = Date.now()) {
  const sealed = await sealAudit(env.DB, auditKeys(env.AUDIT_KEYS), { legacyAllowed: legacyAllowedBy(env.AUDIT_ANCHORS) });
  const checkpoint = await checkpointAudit(env, now);
  return { sealed, checkpoint };
}
