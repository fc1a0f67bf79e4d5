import { ParseUUIDPipe, Param, ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldRuleKey } from './i18n/messages';
import { type FieldProblem, msg, Problem } from './problem';

const number = (message: string, pattern: RegExp): number | undefined => {
  const found = pattern.exec(message)?.[1];
  return found === undefined ? undefined : Number(found);
};

/**
 * Which rule a class-validator constraint stands for, with the numbers its sentence names,
 * so the sentence can be written again in Korean. An unknown constraint is `invalid`.
 */
export function ruleOf(
  constraint: string,
  message: string,
): { rule: FieldRuleKey; params?: Record<string, string | number> } {
  switch (constraint) {
    case 'isLength':
    case 'minLength':
    case 'maxLength': {
      const min = number(message, /longer than or equal to (\d+)/);
      if (min !== undefined) return { rule: 'min_length', params: { min } };
      const max = number(message, /shorter than or equal to (\d+)/);
      if (max !== undefined) return { rule: 'max_length', params: { max } };
      return { rule: 'invalid' };
    }
    case 'maxCodePoints': {
      const max = number(message, /at most (\d+)/);
      return max === undefined ? { rule: 'invalid' } : { rule: 'max_length', params: { max } };
    }
    case 'isString':
      return { rule: 'string' };
    case 'isInt':
      return { rule: 'integer' };
    case 'isNumber':
      return { rule: 'number' };
    case 'isBoolean':
      return { rule: 'boolean' };
    case 'min': {
      const min = number(message, /less than (-?[\d.]+)/);
      return min === undefined ? { rule: 'invalid' } : { rule: 'min', params: { min } };
    }
    case 'max': {
      const max = number(message, /greater than (-?[\d.]+)/);
      return max === undefined ? { rule: 'invalid' } : { rule: 'max', params: { max } };
    }
    case 'isIn':
    case 'isEnum': {
      const values = /following values: (.*)$/.exec(message)?.[1];
      return values ? { rule: 'one_of', params: { values } } : { rule: 'invalid' };
    }
    case 'isUuid':
      return { rule: 'uuid' };
    case 'isEmail':
      return { rule: 'email' };
    case 'isIso8601':
    case 'isDateString':
    case 'isDateTime':
      return { rule: 'datetime' };
    case 'isFuture':
      return { rule: 'future' };
    case 'isArray':
      return { rule: 'array' };
    case 'arrayMaxSize': {
      const max = number(message, /no more than (\d+)/);
      return max === undefined ? { rule: 'invalid' } : { rule: 'array_max', params: { max } };
    }
    case 'arrayMinSize': {
      const min = number(message, /at least (\d+)/);
      return min === undefined ? { rule: 'invalid' } : { rule: 'array_min', params: { min } };
    }
    case 'arrayUnique':
      return { rule: 'array_unique' };
    case 'nestedValidation':
    case 'isObject':
      return { rule: 'object' };
    case 'isDefined':
    case 'isNotEmpty':
      return { rule: 'required' };
    case 'whitelistValidation':
      return { rule: 'unknown_field' };
    case 'isExactOrigin':
      return { rule: 'origin' };
    case 'isUrl':
      return { rule: 'url' };
    case 'isStreamUrl':
      return { rule: 'stream_url' };
    case 'isTimeZone':
      return { rule: 'time_zone' };
    case 'isDay':
      return { rule: 'day' };
    case 'matches':
      if (message.includes('other than line breaks')) return { rule: 'control_chars_line' };
      if (message.includes('control characters')) return { rule: 'control_chars' };
      if (message.includes('tag')) return { rule: 'tag' };
      if (message.includes('lower-case letters')) return { rule: 'slug' };
      return { rule: 'invalid' };
    default:
      return { rule: 'invalid' };
  }
}

/** Flattens class-validator's tree into `thresholds.review`-style field paths. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message: message.startsWith(error.property)
        ? message.slice(error.property.length).trim()
        : message,
      ...ruleOf(constraint, message),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

export function validationProblem(errors: ValidationError[]): Problem {
  const fields = flattenValidationErrors(errors);
  const names = [...new Set(fields.map((f) => f.field))].join(', ');
  return Problem.badRequest(msg('validation', { fields: names }), fields);
}

/**
 * Every DTO is validated with unknown fields refused (not silently dropped), so a typo in a
 * client surfaces at once instead of becoming a field that never saves.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: validationProblem,
  });
}

/** A UUID path parameter; anything else is a 400 naming the parameter. */
export const UuidParam = (name: string): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => Problem.field(name, 'uuid'),
    }),
  );
