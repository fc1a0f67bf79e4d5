import { type ComponentChildren, type TargetedSubmitEvent } from 'preact';
import { ApiError } from './api';
import { formatTime, lang, type MessageKey, useT } from './i18n';
import { type ConnectionState } from './live';
import { useStore } from './store';
import { type Space, type Topic } from './types';

/**
 * Shared pieces of the pages and the widget. Everything user-written is passed as a JSX
 * child or attribute, which Preact sets as text: no HTML from the API is ever parsed.
 */
export function StatusBadge({ status }: { status: Topic['status'] }) {
  const t = useT();
  return <span class={`badge status-${status}`}>{t(`status_${status}` as MessageKey)}</span>;
}

/** Agreement towards the next rung of the space's ladder, as a labelled progress bar. */
export function Ladder({ topic, space }: { topic: Topic; space?: Space | undefined }) {
  const t = useT();
  const { next, needed } = topic.ladder;
  if (!next || needed === null) return <p class="ladder done">{t('ladderDone')}</p>;
  const goal = space ? space.thresholds[next] : topic.counts.agrees + needed;
  const value = Math.min(topic.counts.agrees, goal);
  const label = `${t(`rung_${next}` as MessageKey)} ${value} / ${goal}`;
  return (
    <div class="ladder">
      <progress max={goal} value={value} aria-label={label} />
      <span class="ladder-text" data-testid="ladder-text">
        {label} · {needed} {t('nextRung')}
      </span>
    </div>
  );
}

export function Time({ iso }: { iso: string }) {
  const current = useStore(lang);
  return <time dateTime={iso}>{formatTime(iso, current)}</time>;
}

export function ErrorNote({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  const message =
    error instanceof ApiError && error.status === 404
      ? t('notFound')
      : describe(error, t('errorGeneric'));
  return (
    <p class="error" role="alert" data-code={error instanceof ApiError ? error.code : 'error'}>
      {message}
    </p>
  );
}

/** An error as a person can read it: the server's detail, and each field it names. */
function describe(error: unknown, fallback = String(error)): string {
  if (!(error instanceof ApiError)) return fallback;
  const fields = error.fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return fields ? `${error.message} — ${fields}` : error.message;
}

export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const t = useT();
  const text =
    state === 'online'
      ? t('connOnline')
      : state === 'offline'
        ? t('connOffline')
        : t('connConnecting');
  return (
    <span class={`conn conn-${state}`} role="status" data-state={state}>
      <span class="dot" aria-hidden="true" />
      {text}
    </span>
  );
}

/** A form whose submit runs `onSubmit`, shows its error and disables itself meanwhile. */
export function Form({
  onSubmit,
  children,
  label,
  class: className,
}: {
  onSubmit: (data: FormData, form: HTMLFormElement) => Promise<void>;
  children: ComponentChildren;
  label: string;
  class?: string;
}) {
  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const fieldset = form.querySelector('fieldset');
    const note = form.querySelector<HTMLElement>('.form-error');
    // Read the fields before disabling them: disabled fields are left out of FormData.
    const data = new FormData(form);
    if (fieldset) fieldset.disabled = true;
    if (note) note.textContent = '';
    try {
      await onSubmit(data, form);
    } catch (error) {
      if (note) {
        note.textContent = describe(error);
        note.dataset.code = error instanceof ApiError ? error.code : 'error';
      }
    } finally {
      if (fieldset) fieldset.disabled = false;
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={label} class={className}>
      <fieldset>{children}</fieldset>
      <p class="form-error error" role="alert" />
    </form>
  );
}

export const text = (data: FormData, name: string): string => {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
};

/** A field's value exactly as typed (passwords are not trimmed). */
export const raw = (data: FormData, name: string): string => {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
};

/** A one-line composer (chat, a question, an announcement): label, input, button; reset after. */
export function LineForm({
  id,
  label,
  button,
  maxLength,
  onSend,
  class: className,
}: {
  id: string;
  label: string;
  button: string;
  maxLength: number;
  onSend: (body: string) => Promise<unknown>;
  class?: string;
}) {
  return (
    <Form
      label={label}
      class={className ?? 'chat-form'}
      onSubmit={async (data, form) => {
        await onSend(text(data, 'body'));
        form.reset();
        form.querySelector('input')?.focus();
      }}
    >
      <label for={id} class="sr-only">
        {label}
      </label>
      <input
        id={id}
        name="body"
        required
        maxLength={maxLength}
        autoComplete="off"
        placeholder={label}
      />
      <button type="submit">{button}</button>
    </Form>
  );
}

/** Email and password, as the sign-in page, the registration page and the popup ask them. */
export function CredentialFields({ newPassword = false }: { newPassword?: boolean }) {
  const t = useT();
  return (
    <>
      <label for="email">{t('email')}</label>
      <input id="email" name="email" type="email" autoComplete="email" required />
      <label for="password">{t('password')}</label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete={newPassword ? 'new-password' : 'current-password'}
        minLength={newPassword ? 8 : undefined}
        required
      />
    </>
  );
}
