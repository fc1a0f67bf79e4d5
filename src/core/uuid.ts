const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a value is a UUID in its text form: the one check for ids that arrive outside a
 * validated DTO (token subjects, cursors, route params read before their pipe, signed links).
 */
export const isUuid = (value: string): boolean => UUID.test(value);
