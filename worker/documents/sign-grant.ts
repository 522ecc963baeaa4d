/**
 * Signing grants shared by every signed document (birth certificate, RETAS assignment letter): the sign route issues
 * one after the password is re-entered and passes it to the SOP action; the action's hook refuses without a live
 * grant of the same session, so a sync push (which never sees a grant) can change no case to "signed".
 */
import { toBase64Url } from '../auth/password';
import { sha256Hex } from '../birth/hash';
import * as bdb from '../db/birth';
import { ApiError } from '../errors';
import type { HookArgs } from '../hooks';
import type { Session } from '../middleware/session';

/** A grant lives two minutes: long enough for a batch of signatures, too short to leave lying around. */
export const SIGN_GRANT_TTL_MS = 120_000;

/** A fresh grant for `session` (only its hash is stored); call only after the password was checked. */
export async function issueSignGrant(db: D1Database, session: Session, now = Date.now()): Promise<string> {
  const grant = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  await bdb.insertGrant(db, await sha256Hex(grant), session.tokenHash, now + SIGN_GRANT_TTL_MS).run();
  return grant;
}

/**
 * The check a signing action's hook runs first. `signRoute` names where the signature is given, so a client that
 * queued the action in its outbox learns where to go.
 */
export async function requireSignGrant(args: HookArgs, signRoute: string): Promise<void> {
  const grant = (args.input as { grant?: string }).grant;
  if (!grant || !(await bdb.grantIsLive(args.ctx.db, await sha256Hex(grant), args.ctx.session.tokenHash, args.ctx.now))) {
    throw new ApiError('reauth_required', `Tanda tangani lewat ${signRoute} dengan kata sandi / sign through ${signRoute}, re-entering the password`);
  }
}
