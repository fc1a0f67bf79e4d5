/**
 * Errors that reach clients. Every one has a stable machine `code` (clients switch on it and
 * translate it) and an English `detail`; the filter renders it as RFC 9457 problem+json.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'malformed_json'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'token_expired'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'email_taken'
  | 'slug_taken'
  | 'rate_limited'
  | 'idempotency_key_reused'
  | 'idempotency_in_flight'
  | 'idempotency_result_lost'
  | 'unprocessable'
  | 'service_unavailable'
  | 'internal_error'
  // Deliberation rules (added by the features that raise them).
  | 'illegal_transition'
  | 'topic_not_open'
  | 'banned'
  | 'already_reported'
  // Live rooms.
  | 'room_not_live'
  | 'muted'
  | 'chat_locked'
  | 'chat_closed'
  | 'slow_mode'
  | 'questions_closed'
  | 'room_not_ended';

export interface FieldError {
  field: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }

  static badRequest(detail: string, errors?: FieldError[]): Problem {
    return new Problem(400, 'validation_failed', detail, errors);
  }
  static field(field: string, message: string): Problem {
    return new Problem(400, 'validation_failed', `${field}: ${message}`, [{ field, message }]);
  }
  static unauthorized(detail = 'Sign in to do this.', code: ErrorCode = 'unauthorized'): Problem {
    return new Problem(401, code, detail, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
  static forbidden(detail = 'You are not allowed to do this.'): Problem {
    return new Problem(403, 'forbidden', detail);
  }
  static notFound(what: string): Problem {
    return new Problem(404, 'not_found', `${what} not found`);
  }
  static conflict(code: ErrorCode, detail: string): Problem {
    return new Problem(409, code, detail);
  }
  static unprocessable(code: ErrorCode, detail: string): Problem {
    return new Problem(422, code, detail);
  }
  static rateLimited(retryAfterSeconds: number): Problem {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new Problem(
      429,
      'rate_limited',
      `Too many requests; retry in ${seconds} s.`,
      undefined,
      {
        'Retry-After': String(seconds),
      },
    );
  }
}

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  errors?: FieldError[];
}

export function problemBody(problem: Problem, instance?: string): ProblemBody {
  return {
    type: `https://madang.dev/problems/${problem.code.replace(/_/g, '-')}`,
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    ...(instance ? { instance } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
}
