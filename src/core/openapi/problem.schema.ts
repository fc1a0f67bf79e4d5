import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type ErrorCode, type FieldError, type ProblemBody } from '../http/problem';
import { Documents } from './shape';

/**
 * What each error code means, as the OpenAPI document explains it. A Record over ErrorCode, so a
 * code added to problem.ts does not compile until it is described here too.
 */
export const ERROR_CODE_MEANINGS: Record<ErrorCode, string> = {
  validation_failed: 'a parameter, header or body field is not valid; `errors` names each one',
  malformed_json: 'the body is not JSON',
  payload_too_large: 'the body is larger than the server accepts (`BODY_LIMIT`)',
  unsupported_media_type: 'the body is not `application/json`',
  unauthorized: 'no valid access token (missing, wrongly signed, revoked by a sign-out)',
  invalid_credentials: 'the email or the password is wrong',
  token_expired: 'the access token has expired; sign in again',
  forbidden: 'signed in, but without the right (facilitator or administrator) for this',
  not_found: 'the resource does not exist (or is not visible to the caller)',
  conflict: 'the request conflicts with the resource as it is now',
  email_taken: 'an account with this email exists',
  slug_taken: 'a space with this slug exists',
  rate_limited: 'too many requests; wait for `Retry-After` seconds',
  idempotency_key_reused: 'the `Idempotency-Key` was used with a different request',
  idempotency_in_flight: 'a request with this `Idempotency-Key` is still running; retry shortly',
  idempotency_result_lost:
    'the first request with this `Idempotency-Key` succeeded but its answer was lost; read the resource',
  unprocessable: 'the request is well formed but cannot be carried out',
  service_unavailable:
    'no database connection was free in time; nothing was written, retry after `Retry-After`',
  internal_error: 'an unexpected failure; the detail says nothing of its cause',
  illegal_transition: 'the status move is not allowed from the current status',
  topic_not_open: 'the topic no longer takes agrees, comments, stances or reports',
  banned: 'the caller is banned from this space (or room)',
  already_reported: 'the caller has reported this comment already',
  space_archived: 'the space is archived: it takes no new topic or room',
  room_not_live: 'the room is not live',
  muted: 'the caller is muted in this room',
  chat_locked: 'the room chat is locked',
  chat_closed: 'the room has no chat',
  slow_mode: 'slow mode: wait before the next message',
  questions_closed: 'the room takes no questions',
  room_not_ended: 'the room has not ended yet',
  budget_locked: 'voting has begun: the rule, the classes and the electorate are fixed',
  budget_phase: 'the budget is not in the phase this needs',
  ballot_invalid:
    'the ballot breaks a rule of the budget; errors[] names each (field = rule, path = where)',
  not_eligible: 'the caller is not on the budget voter roll',
  already_voted: 'the voter already voted (on site, or online for an on-site ballot)',
  results_not_public:
    'the results are public from the results phase (or while voting with liveTally)',
  code_claimed: 'the voting code was already claimed (or the caller already claimed a line)',
  already_entered: 'these paper totals were already entered',
};

/** Every error code, in the order of ERROR_CODE_MEANINGS. */
export const ERROR_CODES = Object.keys(ERROR_CODE_MEANINGS) as ErrorCode[];

@Documents<FieldError>('FieldError')
export class FieldErrorSchema {
  @ApiProperty({ description: 'The field, header or parameter, e.g. `thresholds.review`.' })
  field!: string;

  @ApiProperty()
  message!: string;
}

@Documents<ProblemBody>(
  'Problem',
  'RFC 9457 problem details, as every error answers (`application/problem+json`).',
)
export class ProblemSchema {
  @ApiProperty({ example: 'https://madang.dev/problems/not-found' })
  type!: string;

  @ApiProperty({ example: 'Not Found' })
  title!: string;

  @ApiProperty({ example: 404 })
  status!: number;

  @ApiProperty({ description: 'What went wrong, for people.' })
  detail!: string;

  @ApiProperty({
    enum: ERROR_CODES,
    enumName: 'ErrorCode',
    description: 'Stable machine code: clients switch on it; it never changes with the language.',
  })
  code!: ErrorCode;

  @ApiPropertyOptional({ description: 'The request path.' })
  instance?: string;

  @ApiPropertyOptional({ type: [FieldErrorSchema], description: 'For `validation_failed`.' })
  errors?: FieldError[];
}
