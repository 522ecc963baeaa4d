/**
 * What the KTP-el SOP's print actions do beyond the state change (worker/hooks.ts): each blank the SIAK operator used
 * for a card, or spoiled, is written to the office's blank stock in the same batch; a serial already accounted for
 * is refused, whether it was recorded earlier (checked here) or by a racing command (the primary key, mapped below).
 */
import { z } from 'zod';
import { ApiError } from '../errors';
import type { ActionHook } from '../hooks';
import { findBlank, insertBlankIf } from '../db/ktpel';
import { getAccount, sessionAssurance } from '../db/ikd';
import { KtpelHandToFoInput, KtpelSpoilInput, type KtpelSubmitInput } from '../../schema/workflows/ktpel';

const actorOf = (args: Parameters<ActionHook>[0]) => `staff:${args.ctx.session.subjectId}`;

async function refuseUsed(db: D1Database, officeCode: string, serial: string): Promise<void> {
  const seen = await findBlank(db, officeCode, serial);
  if (seen) throw blankUsed(serial, seen.outcome);
}

function blankUsed(serial: string, outcome?: string): ApiError {
  const how = outcome === 'spoiled' ? 'dicatat rusak / recorded as spoiled' : 'sudah dipakai / already used';
  return new ApiError('blank_serial_used', `Blanko ${serial} ${how}`);
}

const handToFo: ActionHook = async (args) => {
  const { blankoSerial } = args.input as z.output<typeof KtpelHandToFoInput>;
  await refuseUsed(args.ctx.db, args.next.office_code, blankoSerial);
  return {
    statements: [
      insertBlankIf(args.ctx.db, args.guard, {
        office_code: args.next.office_code, serial: blankoSerial, case_id: args.next.id, outcome: 'used',
        reason: null, note: null, actor_id: actorOf(args), at: args.ctx.now,
      }),
    ],
  };
};

const spoilBlank: ActionHook = async (args) => {
  const { spoiledSerial, spoilReason, spoilNote } = args.input as z.output<typeof KtpelSpoilInput>;
  if (spoilReason === 'other' && !spoilNote) throw new ApiError('validation_failed', 'Alasan "lainnya" perlu keterangan / reason "other" needs a note');
  await refuseUsed(args.ctx.db, args.next.office_code, spoiledSerial);
  // A count on the case, so the print queue shows which cards needed more than one blank.
  const previous = args.previous ? (JSON.parse(args.previous.data_json) as Record<string, unknown>) : {};
  return {
    statements: [
      insertBlankIf(args.ctx.db, args.guard, {
        office_code: args.next.office_code, serial: spoiledSerial, case_id: args.next.id, outcome: 'spoiled',
        reason: spoilReason, note: spoilNote ?? null, actor_id: actorOf(args), at: args.ctx.now,
      }),
    ],
    data: { spoiledBlanks: (Number(previous.spoiledBlanks) || 0) + 1 },
  };
};

/**
 * A resident applies from their phone (SPEC C): only signed in with PIN and bound device, with an active IKD, and
 * through the online channel (the counter channel is the front office's). Staff applications pass unchanged.
 */
const residentApplies: ActionHook = Object.assign(async ({ ctx, input }: Parameters<ActionHook>[0]) => {
  if (ctx.session.subjectType !== 'resident') return;
  if ((input as KtpelSubmitInput).channel !== 'online') {
    throw new ApiError('validation_failed', 'Permohonan dari ponsel memakai kanal online / an application from a phone uses the online channel', { errors: [{ path: 'channel', message: 'Kanal online / channel online' }] });
  }
  if ((await sessionAssurance(ctx.db, ctx.session.tokenHash)) !== 'full') {
    throw new ApiError('assurance_insufficient', 'Masuk dengan PIN di perangkat terikat dulu. / Sign in with your PIN on the bound device first.');
  }
  if ((await getAccount(ctx.db, ctx.session.subjectId))?.status !== 'active') {
    throw new ApiError('ikd_not_active', 'Ajukan KTP-el dari ponsel perlu IKD yang aktif / applying from a phone needs an active IKD');
  }
}, { pushIndependent: true as const });

/** action → hook, registered as HOOKS.ktpel in worker/hooks.ts. */
export const KTPEL_HOOKS: Record<string, ActionHook> = { submit: residentApplies, resubmit: residentApplies, hand_to_fo: handToFo, spoil_blank: spoilBlank };

/** A racing command that used the same blank trips the primary key inside the batch. */
export function ktpelConstraintProblem(message: string): ApiError | undefined {
  if (/UNIQUE constraint failed: ktpel_blanks\./.test(message)) return new ApiError('blank_serial_used', 'Nomor seri blanko sudah tercatat / blank serial already recorded');
  return undefined;
}
