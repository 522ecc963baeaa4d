/**
 * Stable problem codes: the `code` member of every application/problem+json answer.
 * Clients branch on these, never on the message; never rename one, only add.
 */
export const PROBLEMS = {
  bad_json: { status: 400, title: 'Body is not valid JSON' },
  validation_failed: { status: 422, title: 'Input does not match the contract' },
  body_too_large: { status: 413, title: 'Body too large' },
  unsupported_media_type: { status: 415, title: 'Content-Type must be application/json' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  unauthenticated: { status: 401, title: 'Sign-in required' },
  session_expired: { status: 401, title: 'Session expired' },
  invalid_credentials: { status: 401, title: 'Wrong username or password' },
  too_many_attempts: { status: 429, title: 'Too many attempts, try again later' },
  forbidden_role: { status: 403, title: 'Your role may not do this' },
  forbidden_object: { status: 403, title: 'Not yours to see or change' },
  csrf_rejected: { status: 403, title: 'Cross-site request refused' },
  weak_password: { status: 422, title: 'Password too short or too common' },
  username_taken: { status: 409, title: 'Username already in use' },
  current_password_wrong: { status: 403, title: 'Current password is wrong' },
  self_lockout: { status: 409, title: 'You cannot disable yourself or remove your own admin role' },
  unknown_service: { status: 404, title: 'Unknown service' },
  case_not_found: { status: 404, title: 'Case not found' },
  case_exists: { status: 409, title: 'A case with this id already exists' },
  illegal_action: { status: 409, title: 'Action not allowed in the current state' },
  stale_version: { status: 409, title: 'The case has changed since you loaded it' },
  invalid_nik: { status: 422, title: 'NIK is not valid' },
  resident_not_found: { status: 404, title: 'Resident not found in the registry' },
  not_available: { status: 404, title: 'Not available in this environment' },
} as const satisfies Record<string, { status: number; title: string }>;
export type ProblemCode = keyof typeof PROBLEMS;

/** Shape of an application/problem+json body (RFC 9457) with our stable code. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  errors?: { path: string; message: string }[];
  [extra: string]: unknown;
}
