import { ParseUUIDPipe, Param, ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError, Problem } from './problem';

/** Flattens class-validator's tree into `thresholds.review`-style field paths. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith(error.property)
        ? message.slice(error.property.length).trim()
        : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

export function validationProblem(errors: ValidationError[]): Problem {
  const fields = flattenValidationErrors(errors);
  const names = [...new Set(fields.map((f) => f.field))].join(', ');
  return Problem.badRequest(`Invalid input: ${names}`, fields);
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
      exceptionFactory: () => Problem.field(name, 'must be a UUID'),
    }),
  );
