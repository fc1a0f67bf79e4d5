import { Problem } from './problem';

/** How deep a request body or socket payload may nest (objects and arrays). */
export const MAX_PAYLOAD_DEPTH = 32;

/** Keys that name an object's prototype machinery: never a field of ours, refused outright. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks a parsed JSON value before anything transforms it: at most MAX_PAYLOAD_DEPTH levels
 * and no prototype keys. class-transformer and class-validator recurse, so a body nested
 * thousands of levels deep overflowed the stack there (a 500 on every body route, even
 * unauthenticated sign-in); and they silently drop `__proto__`, which hid a probing client
 * behind a success. The walk is iterative, so no input can overflow it, and it stops at the
 * first offence. Throws a 400 naming the offending field (`root` when the whole value is at fault).
 */
export function assertPayloadShape(value: unknown, root = 'body'): void {
  const at = (path: string, key: string | number): string =>
    path ? `${path}.${key}` : String(key);
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_PAYLOAD_DEPTH) {
      throw Problem.field(path || root, 'too_deep', { max: MAX_PAYLOAD_DEPTH });
    }
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++)
        stack.push({ value: current[i], path: at(path, i), depth: depth + 1 });
      continue;
    }
    // Own keys only: JSON.parse makes `__proto__` an own property, which is what is refused.
    for (const key of Object.keys(current)) {
      if (PROTOTYPE_KEYS.has(key)) throw Problem.field(at(path, key), 'prototype_key');
      stack.push({
        value: (current as Record<string, unknown>)[key],
        path: at(path, key),
        depth: depth + 1,
      });
    }
  }
}
