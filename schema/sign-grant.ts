/**
 * The input of a signing SOP action (birth certificate, RETAS assignment letter): a short-lived grant the sign route
 * issues after the password is re-entered, bound to the session and never shown to the client. A plain sync push
 * cannot carry one, so it cannot sign; the grant is optional here only so that such a push is refused with
 * `reauth_required` naming the sign route rather than a bare validation error.
 */
import { z } from 'zod';

export const SignGrantInput = z.strictObject({ grant: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'grant').optional() });
