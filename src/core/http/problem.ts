import { DEFAULT_LANG, type Lang } from './i18n/lang';
import { FIELD_RULES_EN, type FieldRuleKey, type MessageKey, type TermKey } from './i18n/messages';
import { localize, renderMessage } from './i18n/localize';

/**
 * Errors that reach clients. Every one has a stable machine `code` (clients switch on it and
 * translate it) and a message by key; the filter renders it as RFC 9457 problem+json in the
 * reader's language.
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
  | 'space_archived'
  // Live rooms.
  | 'room_not_live'
  | 'muted'
  | 'chat_locked'
  | 'chat_closed'
  | 'slow_mode'
  | 'questions_closed'
  | 'room_not_ended'
  // Participatory budgets.
  | 'budget_locked'
  | 'budget_phase'
  | 'ballot_invalid'
  | 'not_eligible'
  | 'already_voted'
  | 'results_not_public'
  | 'code_claimed'
  | 'already_entered';

/** A parameter of a message: a value, or a word of the catalogue (`{term: 'proposed'}`). */
export type MessageParam = string | number | Date | { term: TermKey };

/** A sentence by key, with its parameters: rendered in the reader's language at the end. */
export interface Message {
  key: MessageKey;
  params?: Record<string, MessageParam>;
}

export const msg = (key: MessageKey, params?: Record<string, MessageParam>): Message =>
  params ? { key, params } : { key };

/** A status, rung or noun as a translatable word (anything unknown stays as it is). */
export const term = (word: string): MessageParam => ({ term: word as TermKey });

/** A field and what is wrong with it, as sent. */
export interface FieldError {
  field: string;
  message: string;
  /** A budget ballot's broken rule: where it is broken (`ballots[0].projectIds[2]`). */
  path?: string;
  rule?: string;
}

/** A field error as the server keeps it: also the rule broken, so it can be translated. */
export interface FieldProblem extends FieldError {
  rule?: FieldRuleKey;
  path?: string;
  params?: Record<string, string | number>;
}

export type NotFoundSubject =
  | 'Topic'
  | 'Comment'
  | 'Room'
  | 'Space'
  | 'User'
  | 'Report'
  | 'Question'
  | 'Space or user'
  | 'Budget'
  | 'Heading'
  | 'Project'
  | 'Voter'
  | 'Code';

/**
 * `detail` stays the English sentence (logs, and the English answer); `text` is its key and
 * parameters, from which `localize` writes it in the reader's language. A Problem built
 * with a plain string has no key: in Korean it reads as its code's sentence.
 */
export class Problem extends Error {
  readonly detail: string;
  readonly text: Message | undefined;

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    detail: string | Message,
    readonly errors?: FieldProblem[],
    readonly headers: Record<string, string> = {},
  ) {
    const english = typeof detail === 'string' ? detail : renderMessage(detail, 'en');
    super(english);
    this.detail = english;
    this.text = typeof detail === 'string' ? undefined : detail;
    this.name = 'Problem';
  }

  static badRequest(detail: string | Message, errors?: FieldProblem[]): Problem {
    return new Problem(400, 'validation_failed', detail, errors);
  }
  /** One field refused by one of our own rules (its English from FIELD_RULES_EN). */
  static field(
    field: string,
    rule: FieldRuleKey,
    params?: Record<string, string | number>,
  ): Problem {
    const message = FIELD_RULES_EN[rule] ?? rule;
    return new Problem(400, 'validation_failed', `${field}: ${message}`, [
      { field, message, rule, ...(params ? { params } : {}) },
    ]);
  }
  static unauthorized(
    detail: Message = msg('code.unauthorized'),
    code: ErrorCode = 'unauthorized',
  ): Problem {
    return new Problem(401, code, detail, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
  static forbidden(detail: Message = msg('code.forbidden')): Problem {
    return new Problem(403, 'forbidden', detail);
  }
  static notFound(what: NotFoundSubject): Problem {
    return new Problem(404, 'not_found', msg('not_found', { what: { term: what } }));
  }
  static conflict(code: ErrorCode, detail: Message): Problem {
    return new Problem(409, code, detail);
  }
  static unprocessable(code: ErrorCode, detail: Message): Problem {
    return new Problem(422, code, detail);
  }
  static rateLimited(retryAfterSeconds: number): Problem {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new Problem(429, 'rate_limited', msg('rate_limited', { seconds }), undefined, {
      'Retry-After': String(seconds),
    });
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  errors?: FieldError[];
}

/** The problem+json body in `lang` (Korean unless the reader asked for English). */
export function problemBody(
  problem: Problem,
  lang: Lang = DEFAULT_LANG,
  instance?: string,
): ProblemBody {
  const text = localize(problem, lang);
  return {
    type: `https://madang.dev/problems/${problem.code.replace(/_/g, '-')}`,
    title: text.title,
    status: problem.status,
    detail: text.detail,
    code: problem.code,
    ...(instance ? { instance } : {}),
    ...(text.errors ? { errors: text.errors } : {}),
  };
}
