/**
 * Security headers on everything the Worker answers itself (issue 8). Static assets get theirs from web/dist/_headers;
 * both come from schema/security-headers.ts.
 */
import type { MiddlewareHandler } from 'hono';
import { HTML_HEADERS, PAGE_CSP } from '../schema/security-headers';
import type { AppEnv } from './env';

/** JSON and other non-HTML answers: nothing to render, nothing to frame. */
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Mount first on '*'. A route that sets its own (stricter) CSP keeps it. */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const html = c.res.headers.get('content-type')?.includes('text/html') ?? false;
    if (!c.res.headers.has('content-security-policy')) c.header('Content-Security-Policy', html ? PAGE_CSP : DATA_CSP);
    for (const [name, value] of Object.entries(HTML_HEADERS)) c.header(name, value);
  };
}
