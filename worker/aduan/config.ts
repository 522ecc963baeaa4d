/**
 * The public origin for links in messages to complainants. Hooks run inside the engine, which has no env; the
 * origin is the same for every request of a deployment, so each entry point (fetch, email, cron) records it here.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Env } from '../env';

let origin = 'http://localhost:8787';

export function rememberOrigin(env: Pick<Env, 'PUBLIC_ORIGIN'>): void {
  if (env.PUBLIC_ORIGIN) origin = env.PUBLIC_ORIGIN.replace(/\/+$/, '');
}

/** The deployment's public origin, for links in messages to staff. */
export function appOrigin(): string {
  return origin;
}

/** The page where a complainant follows a complaint; the code goes in the fragment, which never reaches a server log. */
export function trackUrl(code?: string): string {
  return code ? `${origin}/aduan/lacak#kode=${code}` : `${origin}/aduan/lacak`;
}

/** Mount on '/api/*'. */
export function aduanOrigin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    rememberOrigin(c.env);
    await next();
  };
}
