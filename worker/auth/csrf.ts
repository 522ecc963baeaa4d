/** Refuses cross-site writes to the API: a state-changing request must prove it comes from our own origin. */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { SESSION_COOKIE } from './sessions';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Endpoints institutions call server to server. A forged cross-site request gains nothing there as long as it
 * carries no session cookie, so only cookie-less requests without an Origin skip the check (a browser's with a
 * cookie does not, and neither does one that names a foreign Origin).
 */
// The WhatsApp webhook proves itself with its HMAC signature (worker/aduan/whatsapp.ts).
const SERVER_TO_SERVER = new Set(['/api/ktp/verify', '/api/aduan/whatsapp/webhook']);

const refused = () =>
  new ApiError('csrf_rejected', 'Permintaan dari situs lain ditolak. / Requests must come from this site (Origin or Sec-Fetch-Site: same-origin).');

/**
 * Mount on '/api/*'. Rules for an unsafe method, in order:
 * 1. a present `Origin` must be ours, whatever `Sec-Fetch-Site` says (a header a page cannot forge beats one a
 *    proxy or an old browser may have filled in: issue 8 ended a session with `Origin: evil` + `same-origin`);
 * 2. without `Origin`, `Sec-Fetch-Site: same-origin` is accepted (browsers that omit Origin on same-origin POSTs);
 * 3. neither (old client, curl) is refused too: the API has no other caller, except the server-to-server verify.
 * SameSite=Strict on the session cookie is the second layer.
 */
export function csrfGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin');
      if (origin !== undefined) {
        if (origin !== new URL(c.req.url).origin) throw refused();
      } else {
        const serverToServer = SERVER_TO_SERVER.has(c.req.path) && !c.req.header('cookie')?.includes(`${SESSION_COOKIE}=`);
        if (!serverToServer && c.req.header('sec-fetch-site') !== 'same-origin') throw refused();
      }
    }
    await next();
  };
}
