/**
 * Seed 002 steps 7–8 on the cron: a signed certificate whose WhatsApp and email to the parent all failed for good
 * (bounce, WhatsApp error after the retries) moves to the drive-thru pickup queue by itself, through the engine as
 * a system operator of the case's office, with the failures as the reason.
 */
import { uuid7 } from '../../schema/ids';
import * as bdb from '../db/birth';
import { registryFor } from '../db/registry';
import { applyCommand } from '../engine';
import type { Env } from '../env';
import type { Session } from '../middleware/session';

/** The cron's identity in case steps and the audit log ("staff:system"); it holds the operator role only. */
export const systemOperator = (officeCode: string): Session => ({ tokenHash: 'system', subjectType: 'staff', subjectId: 'system', displayName: 'Sistem', officeCode, roles: ['operator'] });

export async function moveUndeliveredToPickup(env: Env, now = Date.now()): Promise<number> {
  let moved = 0;
  for (const c of await bdb.undeliveredSignedCases(env.DB)) {
    const reason = `Pengiriman gagal / delivery failed (${(c.errors ?? '').slice(0, 400)})`;
    const r = await applyCommand(
      { db: env.DB, session: systemOperator(c.office_code), ip: null, now, registry: registryFor(env) },
      { id: uuid7(now), type: 'action', caseId: c.id, action: 'to_pickup', baseVersion: c.version, input: { reason } },
    );
    if (r.status === 'applied') moved++;
  }
  return moved;
}
