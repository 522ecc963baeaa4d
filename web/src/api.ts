/** Same-origin JSON calls to the Worker; every failure becomes an ApiFailure carrying a problem the UI can translate. */
import { noteResponseDate } from './clock';
import type { UiProblem } from './db';

const DEFAULT_TIMEOUT_MS = 20_000;

/** Thrown for any non-2xx answer and for network failures (`code: 'network'`). */
export class ApiFailure extends Error {
  constructor(readonly problem: UiProblem) {
    super(problem.detail ?? problem.title ?? problem.code);
  }
  get status(): number {
    return this.problem.status;
  }
}

/** The problem behind any error a call threw: the server's, or "network" for anything else (timeouts, aborts). */
export function problemFromError(err: unknown): UiProblem {
  return err instanceof ApiFailure ? err.problem : { code: 'network', status: 0 };
}

/**
 * Calls the API with the session cookie. The browser adds `Origin` to non-GET requests itself, which is
 * what the Worker's CSRF check wants.
 * @example const { user } = await api<{ user: SessionUser }>('/api/auth/me');
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<T> {
  let res: Response;
  // A stalled connection (captive portal, dying signal) must not hold the sync lock forever.
  const timeout = AbortSignal.timeout(init.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  const sentAt = Date.now();
  try {
    res = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      credentials: 'same-origin',
      headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal,
      cache: 'no-store',
    });
  } catch (err) {
    // fetch rejects only when no answer came back at all: offline, DNS, connection reset, abort.
    throw new ApiFailure({ code: 'network', status: 0, detail: err instanceof Error ? err.message : String(err) });
  }
  // Every answer tells the server's time: presentations and due times use it, not the phone's own clock.
  noteResponseDate(res, sentAt);
  if (res.ok) {
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
  throw new ApiFailure(await problemOf(res));
}

/** Reads a problem+json body; a bare 5xx (unknown server error) becomes `code: 'server_error'`. */
export async function problemOf(res: Response): Promise<UiProblem> {
  const retryHeader = Number(res.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<UiProblem>;
      if (typeof body.code === 'string') {
        return {
          code: body.code,
          status: res.status,
          title: body.title,
          detail: body.detail,
          errors: body.errors,
          reason: typeof body.reason === 'string' ? body.reason : undefined,
          reasons: Array.isArray(body.reasons) ? body.reasons.filter((r): r is string => typeof r === 'string') : undefined,
          attemptsLeft: typeof body.attemptsLeft === 'number' ? body.attemptsLeft : undefined,
          retryAfterSeconds: typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : retryAfterSeconds,
        };
      }
    } catch {
      // fall through to the generic problem below
    }
  }
  const text = await res.text().catch(() => '');
  return { code: res.status >= 500 ? 'server_error' : 'http_error', status: res.status, detail: text.slice(0, 200) || res.statusText, retryAfterSeconds };
}
