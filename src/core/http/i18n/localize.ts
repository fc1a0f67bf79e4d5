import type { FieldError, FieldProblem, Message, MessageParam, Problem } from '../problem';
import { type Lang } from './lang';
import {
  FIELD_LABELS_KO,
  FIELD_RULES_KO,
  type FieldRuleKey,
  MESSAGES,
  type MessageKey,
  TERMS,
  type TermKey,
} from './messages';

const TITLES: Record<Lang, Record<number, string>> = {
  en: {
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
  },
  ko: {
    400: '잘못된 요청',
    401: '로그인 필요',
    403: '권한 없음',
    404: '찾을 수 없음',
    405: '허용되지 않는 요청',
    409: '처리할 수 없는 상태',
    413: '너무 큰 요청',
    415: '지원하지 않는 형식',
    422: '처리할 수 없는 요청',
    429: '요청이 너무 많음',
    500: '서버 오류',
    503: '잠시 이용할 수 없음',
  },
};

// One formatter per language: times are read in Seoul, where the city is.
const dateFormats: Record<Lang, Intl.DateTimeFormat> = {
  ko: new Intl.DateTimeFormat('ko-KR', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Asia/Seoul',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Seoul',
  }),
};

/** A time as a Seoul reader reads it (`2026년 12월 1일 오후 3:58`). */
export const formatDate = (date: Date, lang: Lang): string => dateFormats[lang].format(date);

const isTerm = (value: MessageParam): value is { term: TermKey } =>
  typeof value === 'object' && !(value instanceof Date);

function paramText(value: MessageParam, lang: Lang): string {
  if (isTerm(value)) return TERMS[value.term]?.[lang] ?? String(value.term);
  // English keeps the machine form it always had; Korean reads a Seoul local time.
  if (value instanceof Date) return lang === 'en' ? value.toISOString() : formatDate(value, 'ko');
  if (typeof value === 'number')
    return lang === 'ko' ? value.toLocaleString('ko-KR') : String(value);
  return value;
}

/** 을/를, 이/가, 은/는, 과/와, 으로/로 for a word, by whether its last syllable has a final consonant. */
function particle(word: string, pair: string): string {
  const pairs: Record<string, [string, string]> = {
    을: ['을', '를'],
    이: ['이', '가'],
    은: ['은', '는'],
    과: ['과', '와'],
    으로: ['으로', '로'],
  };
  const [withFinal, withoutFinal] = pairs[pair] ?? [pair, pair];
  const last = word.trim().at(-1) ?? '';
  const code = last.charCodeAt(0) - 0xac00;
  if (code < 0 || code > 11171) return `${withFinal}(${withoutFinal})`;
  const final = code % 28;
  // 으로/로: a final ㄹ (8) takes 로, like a vowel.
  if (pair === '으로' && final === 8) return withoutFinal;
  return final === 0 ? withoutFinal : withFinal;
}

/** Fills `{name}` and `{name|을}` in a template. */
export function fill(
  template: string,
  params: Record<string, MessageParam> | undefined,
  lang: Lang,
): string {
  return template.replace(/\{(\w+)(?:\|(\S+?))?\}/g, (whole, name: string, josa?: string) => {
    const value = params?.[name];
    if (value === undefined) return whole;
    const text = paramText(value, lang);
    return josa ? `${text}${particle(text, josa)}` : text;
  });
}

export function renderMessage(message: Message, lang: Lang): string {
  const entry = MESSAGES[message.key];
  return fill(entry[lang], message.params, lang);
}

/** A field rule in Korean, with its parameters. */
const koRule = (rule: FieldRuleKey, params?: Record<string, string | number>): string =>
  fill(FIELD_RULES_KO[rule], params, 'ko');

const fieldLabel = (field: string): string => {
  const label = FIELD_LABELS_KO[field] ?? FIELD_LABELS_KO[field.split('.').at(-1) ?? ''];
  return label ? `${label}(${field})` : field;
};

function localizeField(error: FieldProblem, lang: Lang): FieldError {
  const message = lang === 'en' ? error.message : koRule(error.rule ?? 'invalid', error.params);
  // A ballot's broken rule also says where it is broken and which rule it is.
  if (error.path !== undefined) {
    return { field: error.field, message, path: error.path, rule: error.rule ?? 'invalid' };
  }
  return { field: error.field, message };
}

/**
 * A problem's title, detail and field messages in `lang`: from its message key when it has
 * one, else (a plain English string) from its code. A validation refusal in Korean names
 * every field with what to fix.
 */
export function localize(
  problem: Problem,
  lang: Lang,
): { title: string; detail: string; errors?: FieldError[] } {
  const title = TITLES[lang][problem.status] ?? (lang === 'ko' ? '오류' : 'Error');
  const errors = problem.errors?.map((e) => localizeField(e, lang));
  let detail: string;
  if (lang === 'en') detail = problem.detail;
  else if (problem.code === 'validation_failed' && problem.errors?.length) {
    const parts = problem.errors.map(
      (e) => `${fieldLabel(e.field)}: ${koRule(e.rule ?? 'invalid', e.params)}`,
    );
    detail = fill(MESSAGES.validation.ko, { fields: [...new Set(parts)].join('; ') }, 'ko');
  } else if (problem.text) detail = renderMessage(problem.text, 'ko');
  else detail = MESSAGES[`code.${problem.code}` as MessageKey]?.ko ?? MESSAGES['code.conflict'].ko;
  return errors ? { title, detail, errors } : { title, detail };
}
