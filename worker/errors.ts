/** One error type for the API and the one place that turns errors into problem+json responses. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { PROBLEMS, type Problem, type ProblemCode } from '../schema/problems';

/** Throw from any handler: `throw new ApiError('stale_version', 'Case moved to version 4')`. */
export class ApiError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? PROBLEMS[code].title);
  }
  get status(): number {
    return PROBLEMS[this.code].status;
  }
  toProblem(): Problem {
    const p = PROBLEMS[this.code];
    return {
      type: `https://loket.example/problems/${this.code}`,
      title: p.title,
      status: p.status,
      code: this.code,
      ...(this.detail ? { detail: this.detail } : {}),
      ...this.extra,
    };
  }
}

export function zodProblem(error: ZodError): ApiError {
  const errors = error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  return new ApiError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}

export function problemResponse(err: ApiError, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(err.toProblem()), {
    status: err.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers },
  });
}

/** Maps every thrown thing to a response; unknown errors become problem+json `internal` with a logged request id. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return problemResponse(err, retryHeaders(err));
  if (err instanceof HTTPException) {
    const mapped = fromHttpException(err);
    if (mapped) return problemResponse(mapped);
  }
  const requestId = (c.get('requestId') as string | undefined) ?? crypto.randomUUID();
  // Only the error's class and message: handlers never put personal data into messages.
  console.error(JSON.stringify({ level: 'error', requestId, error: err.name, message: err.message }));
  return problemResponse(new ApiError('internal', `Quote request id ${requestId} when reporting this`, { requestId }), { 'x-request-id': requestId });
}

function retryHeaders(err: ApiError): Record<string, string> {
  const retry = err.extra.retryAfterSeconds;
  return typeof retry === 'number' ? { 'retry-after': String(retry) } : {};
}

function fromHttpException(err: HTTPException): ApiError | undefined {
  switch (err.status) {
    case 400:
      // hono's JSON validator raises 400 "Malformed JSON in request body"
      return new ApiError('bad_json', err.message);
    case 413:
      return new ApiError('body_too_large');
    case 415:
      return new ApiError('unsupported_media_type');
    case 401:
      return new ApiError('unauthenticated');
    case 403:
      return new ApiError('csrf_rejected', err.message);
    case 404:
      return new ApiError('not_found');
    default:
      return undefined;
  }
}
