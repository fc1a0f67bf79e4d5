import { useEffect, useRef, useState } from 'preact/hooks';
import { lang, useT } from './i18n';
import { useStore } from './store';

/** A datetime-local value (Seoul time as typed) as an ISO instant with its offset. */
export const seoulInstant = (local: string): string => `${local}:00+09:00`;

/** An instant as the datetime-local value a Seoul reader types (`2031-03-01T18:00`). */
export const seoulLocal = (iso: string | undefined | null): string =>
  iso ? new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 16) : '';

/** A typed date (`2031. 1. 1.`, `2031-01-01`, `20310101`) as y, m, d when it is a real day. */
export function parseKoreanDate(value: string): [number, number, number] | null {
  const v = value.trim();
  const m =
    /^(\d{4})\s*[.\-/]\s*(\d{1,2})\s*[.\-/]\s*(\d{1,2})\s*\.?$/.exec(v) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d)
    return null;
  return [y, mo, d];
}

/** A typed 24-hour time (`9:30`, `0930`) as h, m. */
export function parseTime(value: string): [number, number] | null {
  const m = /^(\d{1,2})\s*:?\s*(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const [h, mi] = [Number(m[1]), Number(m[2])];
  return h < 24 && mi < 60 ? [h, mi] : null;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `2031-03-01T18:00` as the two Korean fields show it: `2031. 03. 01.` and `18:00`. */
function koreanParts(local: string): [string, string] {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  return m ? [`${m[1]}. ${m[2]}. ${m[3]}.`, `${m[4]}:${m[5]}`] : ['', ''];
}

export interface DateTimeFieldProps {
  id: string;
  /** The form field that carries the value, as a native input's (`2031-03-01T18:00`). */
  name: string;
  label: string;
  /** The starting value, as `name` carries it (see `seoulLocal`). */
  defaultValue?: string;
  /**
   * The id of a hint already on the page (a group of date fields shares one); without it the
   * field shows the format hint of its own.
   */
  hintId?: string;
  /** The server's word on this field, shown under it. */
  error?: string;
  /** A day without a time (a milestone's date): `name` carries `2031-03-01`. */
  dateOnly?: boolean;
  required?: boolean;
}

/**
 * A date and time as Korean pages write them: `2031. 03. 01.` and `18:00` (24-hour). Chromium
 * formats its native date inputs by the browser's own locale, never the page's `lang`, so a
 * Korean page in an English browser would ask for mm/dd/yyyy; these are plain text fields,
 * typed and tabbed through like any other. The form gets `name` as the native input's value
 * (`2031-03-01T18:00`). English pages keep the native input.
 */
export function DateTimeField({
  id,
  name,
  label,
  defaultValue,
  hintId,
  error,
  dateOnly = false,
  required = false,
}: DateTimeFieldProps) {
  const t = useT();
  const current = useStore(lang);
  const [initialDate, initialTime] = koreanParts(
    dateOnly && defaultValue ? `${defaultValue}T00:00` : (defaultValue ?? ''),
  );
  const [date, setDate] = useState(initialDate);
  const [time, setTime] = useState(initialTime);
  // The typed parts are this field's state, so a form's reset (after a milestone is added, say)
  // must reach them: the DOM alone would clear the text and keep the hidden value.
  const ref = useRef<HTMLFieldSetElement>(null);
  useEffect(() => {
    const form = ref.current?.form;
    if (!form) return;
    const reset = (): void => {
      setDate(initialDate);
      setTime(initialTime);
    };
    form.addEventListener('reset', reset);
    return () => form.removeEventListener('reset', reset);
  }, [initialDate, initialTime]);
  const hint = hintId ?? `${id}-hint`;
  const errorLine = error ? (
    <p class="error field-error" id={`${id}-error`} data-field={name}>
      {error}
    </p>
  ) : null;
  if (current !== 'ko')
    return (
      <div class="field">
        <label for={id}>{label}</label>
        <input
          id={id}
          name={name}
          type={dateOnly ? 'date' : 'datetime-local'}
          defaultValue={defaultValue}
          required={required}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {errorLine}
      </div>
    );
  const day = date.trim() ? parseKoreanDate(date) : null;
  const clock: [number, number] | null = time.trim() ? parseTime(time) : [0, 0];
  const dateBad = !!date.trim() && !day;
  const timeBad = !dateOnly && (!clock || (!date.trim() && !!time.trim()));
  const dayValue = day ? `${day[0]}-${two(day[1])}-${two(day[2])}` : '';
  const value = dateOnly
    ? dayValue
    : day && clock
      ? `${dayValue}T${two(clock[0])}:${two(clock[1])}`
      : '';
  const problem = dateBad ? t('bo_dateBad') : timeBad ? t('bo_timeBad') : '';
  const described = `${hint} ${id}-problem${error ? ` ${id}-error` : ''}`;
  return (
    <fieldset ref={ref} class="field datetime" aria-describedby={hint}>
      <legend>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </legend>
      <div class="datetime-parts">
        <label for={id} class="sr-only">
          {dateOnly ? label : t('bo_dateLabel', { label })}
        </label>
        <input
          id={id}
          type="text"
          inputMode="numeric"
          autocomplete="off"
          placeholder="2031. 03. 01."
          maxLength={14}
          required={required}
          value={date}
          aria-invalid={dateBad || error ? 'true' : undefined}
          aria-describedby={described}
          onInput={(e) => {
            setDate(e.currentTarget.value);
            const next = e.currentTarget.value.trim() && !parseKoreanDate(e.currentTarget.value);
            e.currentTarget.setCustomValidity(next ? t('bo_dateBad') : '');
          }}
          onBlur={() => day && setDate(`${day[0]}. ${two(day[1])}. ${two(day[2])}.`)}
        />
        {!dateOnly && (
          <>
            <label for={`${id}-time`} class="sr-only">
              {t('bo_timeLabel', { label })}
            </label>
            <input
              id={`${id}-time`}
              type="text"
              inputMode="numeric"
              autocomplete="off"
              placeholder="00:00"
              maxLength={5}
              value={time}
              aria-invalid={timeBad ? 'true' : undefined}
              aria-describedby={described}
              onInput={(e) => {
                setTime(e.currentTarget.value);
                const next = e.currentTarget.value.trim() && !parseTime(e.currentTarget.value);
                e.currentTarget.setCustomValidity(next ? t('bo_timeBad') : '');
              }}
              onBlur={() => time.trim() && clock && setTime(`${two(clock[0])}:${two(clock[1])}`)}
            />
          </>
        )}
      </div>
      <input type="hidden" name={name} value={value} />
      {!hintId && (
        <p id={hint} class="hint">
          {t(dateOnly ? 'bo_dayHint' : 'bo_dateHint')}
        </p>
      )}
      <p id={`${id}-problem`} class="error" role="alert">
        {problem}
      </p>
      {errorLine}
    </fieldset>
  );
}
