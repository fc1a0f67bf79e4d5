import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';

/**
 * C0/C1 controls, plus bidirectional overrides and isolates that can disguise a name
 * ("Trojan Source"-style spoofing). Newlines are controls too: names are one line.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/** As above but allowing \n (and \r\n from browsers) in multi-line bodies. */
export const CONTROL_CHARS_EXCEPT_NEWLINE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

const trimNfc = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.normalize('NFC').trim() : value;

/** A one-line name or title: trimmed, NFC, `min`–`max` characters, no control characters. */
export const IsSingleLine = (min: number, max: number): PropertyDecorator =>
  applyDecorators(
    Transform(trimNfc),
    IsString(),
    Length(min, max),
    Matches(new RegExp(`^[^${CONTROL_CHARS.source.slice(1, -1)}]*$`, 'u'), {
      message: '$property must not contain control characters',
    }),
  );

/** A multi-line plain-text body: line breaks allowed, other control characters refused. */
export const IsPlainText = (min: number, max: number): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.normalize('NFC').replace(/\r\n?/g, '\n').trim() : value,
    ),
    IsString(),
    Length(min, max),
    Matches(new RegExp(`^[^${CONTROL_CHARS_EXCEPT_NEWLINE.source.slice(1, -1)}]*$`, 'u'), {
      message: '$property must not contain control characters other than line breaks',
    }),
  );

export const IsDisplayName = (): PropertyDecorator => IsSingleLine(1, 50);
