/**
 * Work that follows a committed write, off the request's path: link the new audit entries into the chain and send
 * the messages the write queued (the cron remains the retry path for both). Runs from `waitUntil`.
 */
import { auditKeys } from './audit';
import { checkpointAudit, legacyAllowedBy, sealAudit } from './audit-seal';
import type { Env } from './env';
import { deliverDue } from './notify/deliver';
import { RoundLoop } from './round-loop';

const logFailure = (event: string) => (err: unknown) => {
  console.error(JSON.stringify({ level: 'error', event, error: err instanceof Error ? err.name : 'error', message: err instanceof Error ? err.message : '' }));
};

/** One loop per env object (one per isolate in production; tests may run with several). */
const loops = new WeakMap<Env, RoundLoop>();

/** Seals the audit chain and delivers due messages; one loop at a time (concurrent sealers would only waste work). */
export function afterWrite(env: Env): Promise<void> {
  let loop = loops.get(env);
  if (!loop) {
    loop = new RoundLoop(async () => {
      await sealAudit(env.DB, auditKeys(env.AUDIT_KEYS), { legacyAllowed: legacyAllowedBy(env.AUDIT_ANCHORS) }).catch(logFailure('audit_seal_failed'));
      if (env.DELIVERY !== 'cron') await deliverDue(env, Date.now()).catch(logFailure('deliver_due_failed'));
    });
    loops.set(env, loop);
  }
  return loop.run();
}

/** The cron's share: seal whatever is left, then sign a checkpoint of the sealed head into R2. */
export async function sealAndCheckpoint(env: Env, now = Date.now()) {
  const sealed = await sealAudit(env.DB, auditKeys(env.AUDIT_KEYS), { legacyAllowed: legacyAllowedBy(env.AUDIT_ANCHORS) });
  const checkpoint = await checkpointAudit(env, now);
  return { sealed, checkpoint };
}
