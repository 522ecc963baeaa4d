/** Refuses cross-site writes to the API: a state-changing request must prove it comes from our own origin. */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { SESSION_COOKIE } from './sessions';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Endpoints institutions call server to server. A forged cross-site request gains nothing there as long as it
 * carries no session cookie, so only cookie-less requests skip the origin check (a browser's with a cookie does not).
 */
// The WhatsApp webhook proves itself with its HMAC signature (worker/aduan/whatsapp.ts).
const SERVER_TO_SERVER = new Set(['/api/ktp/verify', '/api/aduan/whatsapp/webhook']);

/**
 * Mount on '/api/*'. Browsers send `Origin` on every non-GET fetch and `Sec-Fetch-Site` on modern ones; either
 * must say "same origin". A request with neither (old client, curl) is refused too: the API has no other caller.
 * SameSite=Strict on the session cookie is the second layer.
 */
export function csrfGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const serverToServer = SERVER_TO_SERVER.has(c.req.path) && !c.req.header('cookie')?.includes(`${SESSION_COOKIE}=`);
    if (!SAFE_METHODS.has(c.req.method) && !serverToServer) {
      const origin = c.req.header('origin');
      const fetchSite = c.req.header('sec-fetch-site');
      const sameOrigin = origin !== undefined && origin === new URL(c.req.url).origin;
      if (!sameOrigin && fetchSite !== 'same-origin') {
        throw new ApiError(
          'csrf_rejected',
          'Permintaan dari situs lain ditolak. / Requests must come from this site (Origin or Sec-Fetch-Site: same-origin).',
        );
      }
    }
    await next();
  };
}
