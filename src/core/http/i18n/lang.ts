/** The languages the server writes for people in: Korean first, English second. */
export const LANGS = ['ko', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'ko';

const isLang = (value: string): value is Lang => (LANGS as readonly string[]).includes(value);

/**
 * The reader's language from an `Accept-Language` header (RFC 9110 §12.5.4): the supported
 * language with the highest weight, `ko` when the header names neither (or is missing).
 * `en-GB;q=0.8` counts as `en`; `*` counts as the default.
 */
export function pickLang(header: string | string[] | undefined): Lang {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return DEFAULT_LANG;
  let best: { lang: Lang; q: number } | null = null;
  for (const part of value.split(',').slice(0, 20)) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params
      .map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1])
      .find((x) => x !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    const primary = tag.trim() === '*' ? DEFAULT_LANG : tag.trim().split('-')[0]!;
    if (weight > 0 && isLang(primary) && (!best || weight > best.q))
      best = { lang: primary, q: weight };
  }
  return best?.lang ?? DEFAULT_LANG;
}

/** A socket's language: `auth.lang` of its handshake (`ko` or `en`), Korean otherwise. */
export function socketLang(socket: { handshake: { auth: Record<string, unknown> } }): Lang {
  const lang = socket.handshake.auth.lang;
  return typeof lang === 'string' && isLang(lang) ? lang : DEFAULT_LANG;
}
