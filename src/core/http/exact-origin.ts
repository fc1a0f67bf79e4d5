import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * True when `value` is an exact web origin in canonical form: `https://host[:port]` with no
 * path, query, fragment, credentials or wildcard. Canonical means it equals what a browser
 * sends in the Origin header (lower-case host, no default port), so an allowlist check can
 * be a plain string comparison.
 */
export function isExactOrigin(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 255 || value.includes('*')) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
}

export function IsExactOrigin(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isExactOrigin',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message:
          'each value must be an exact origin such as https://city.example or http://localhost:8080 (no path, no wildcard)',
        ...options,
      },
      validator: { validate: isExactOrigin },
    });
}
