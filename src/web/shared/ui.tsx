import { type ComponentChildren, type TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { parseStreamUrl, type StreamSource } from '../../rooms/stream-url';
import { ApiError } from './api';
import {
  fill,
  formatTime,
  lang,
  type MessageKey,
  relativeTime,
  translate,
  type Translate,
  useT,
} from './i18n';
import { type ConnectionState } from './live';
import { Store, useStore } from './store';
import { type Space, type Stance, type Topic } from './types';

/**
 * The design system's components, shared by the pages, the widget and (later) the back
 * office. Everything user-written is passed as a JSX child or attribute, which Preact sets as
 * text: no HTML from the API is ever parsed. docs/design-system.md shows how to use them.
 */

export function StatusBadge({ status }: { status: Topic['status'] }) {
  const t = useT();
  return <span class={`badge status-${status}`}>{t(`status_${status}` as MessageKey)}</span>;
}

export function LiveBadge() {
  const t = useT();
  return (
    <span class="badge live-badge">
      <span class="live-dot" aria-hidden="true" />
      {t('liveNow')}
    </span>
  );
}

const RUNGS = ['review', 'deliberation', 'response'] as const;
const RUNG_LABEL: Record<(typeof RUNGS)[number], MessageKey> = {
  review: 'rungReview',
  deliberation: 'rungDeliberation',
  response: 'rungResponse',
};

/**
 * Where a topic stands on its space's ladder. Agrees climb the first two rungs, participants
 * in the deliberation the third: the figure shown is the one the next rung counts, so the
 * goal always equals the figure plus what is still needed. A topic that can climb no more
 * (expired, rejected, closed) says so instead of claiming every step.
 */
export function Ladder({
  topic,
  space,
  full = false,
}: {
  topic: Topic;
  space?: Space | undefined;
  full?: boolean;
}) {
  const t = useT();
  const { next, needed, rung } = topic.ladder;
  const open = ['proposed', 'under_review', 'deliberating'].includes(topic.status);
  const counted = (r: string) =>
    r === 'response' ? topic.counts.participants : topic.counts.agrees;
  let summary: ComponentChildren;
  let value = 0;
  let goal = 0;
  if (rung >= 3) summary = t('ladderAllReached');
  else if (topic.status === 'expired') summary = t('ladderExpired');
  else if (topic.status === 'rejected') summary = t('ladderRejected');
  else if (!open || !next || needed === null) summary = t('ladderClosedShort');
  else {
    value = counted(next);
    goal = value + needed;
    const unit = next === 'response' ? t('ladderParticipants') : t('ladderAgrees');
    summary = (
      <>
        <strong>
          {t(RUNG_LABEL[next])} {value.toLocaleString()} / {goal.toLocaleString()}
        </strong>{' '}
        {unit} · {t('ladderNeed', { n: needed.toLocaleString(), rung: t(RUNG_LABEL[next]) })}
      </>
    );
  }
  const percent = goal > 0 ? Math.min(100, Math.round((value / goal) * 100)) : rung >= 3 ? 100 : 0;
  return (
    <div class="ladder">
      {goal > 0 && (
        <div
          class="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={goal}
          aria-valuenow={value}
          aria-label={t('ladderTitle')}
        >
          <span style={{ width: `${percent}%` }} />
        </div>
      )}
      <span class="ladder-text" data-testid="ladder-text">
        {summary}
      </span>
      {full && space && (
        <ol class="rungs" aria-label={t('ladderTitle')}>
          {RUNGS.map((r, i) => (
            <li
              key={r}
              class={`rung${rung > i ? ' reached' : ''}${next === r && open && rung === i ? ' current' : ''}`}
              data-rung={r}
            >
              <strong>{t(RUNG_LABEL[r])}</strong>
              {space.thresholds[r].toLocaleString()}{' '}
              {r === 'response' ? t('ladderParticipants') : t('ladderAgrees')}
              {rung > i && <> · {t('ladderReached')} ✓</>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** A minute's tick for relative times ("3분 전"), one timer for the whole page. */
const minute = new Store<number>(Date.now());
setInterval(() => minute.set(Date.now()), 30_000);

/** A time: relative where natural ("3분 전"), the Seoul date and time on hover and for AT. */
export function Time({ iso, style }: { iso: string; style?: 'full' | 'time' | 'date' }) {
  const current = useStore(lang);
  const now = useStore(minute);
  const absolute = formatTime(iso, current);
  const shown = style ? formatTime(iso, current, style) : relativeTime(iso, current, now);
  return (
    <time dateTime={iso} title={absolute}>
      {shown}
    </time>
  );
}

/** Codes the pages phrase themselves (the server's sentence is the fallback). */
const CODE_TEXT: Partial<Record<string, MessageKey>> = {
  network: 'offline',
  timeout: 'reconnecting',
};

/** An error as a person can read it, in the page's language. */
export function errorText(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('errorGeneric');
  const own = CODE_TEXT[error.code];
  if (own) return t(own);
  return error.message || t('errorGeneric');
}

export function ErrorNote({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  const message =
    error instanceof ApiError && error.status === 404 ? t('notFound') : errorText(error, t);
  return (
    <p class="error" role="alert" data-code={error instanceof ApiError ? error.code : 'error'}>
      {message}
    </p>
  );
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

/**
 * A form whose submit runs `onSubmit`, shows its error (in the page's language) and marks
 * the fields the server named, and disables itself meanwhile.
 */
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
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    try {
      await onSubmit(data, form);
    } catch (error) {
      if (note) {
        note.textContent = errorText(error, (k, p) => fill(translate(lang.get(), k), p ?? {}));
        note.dataset.code = error instanceof ApiError ? error.code : 'error';
      }
      if (error instanceof ApiError)
        for (const f of error.fields)
          form
            .querySelector(`[name="${CSS.escape(f.field)}"]`)
            ?.setAttribute('aria-invalid', 'true');
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
      <button type="submit" class="primary">
        {button}
      </button>
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

/**
 * A modal dialog (the platform's <dialog>: focus is trapped and returned, Escape closes).
 * Open while mounted; `onClose` runs on Escape, the backdrop and the close buttons.
 */
export function Dialog({
  title,
  onClose,
  children,
  id,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  id?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = `${id ?? 'dialog'}-title`;
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      class="modal"
      aria-labelledby={headingId}
      id={id}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
    >
      <div class="modal-body">
        <h2 id={headingId}>{title}</h2>
        {children}
      </div>
    </dialog>
  );
}

interface ConfirmRequest {
  text: string;
  action: string;
  resolve: (ok: boolean) => void;
}
const confirmRequest = new Store<ConfirmRequest | null>(null);

/** Asks before anything that cannot be undone; resolves true when the person confirms. */
export function confirmAction(text: string, action: string): Promise<boolean> {
  return new Promise((resolve) => confirmRequest.set({ text, action, resolve }));
}

export function ConfirmHost() {
  const t = useT();
  const request = useStore(confirmRequest);
  if (!request) return null;
  const done = (ok: boolean) => {
    confirmRequest.set(null);
    request.resolve(ok);
  };
  return (
    <Dialog title={t('areYouSure')} onClose={() => done(false)} id="confirm">
      <p>{request.text}</p>
      <div class="modal-actions">
        <button type="button" onClick={() => done(false)}>
          {t('cancel')}
        </button>
        <button type="button" class="primary" data-testid="confirm" onClick={() => done(true)}>
          {request.action}
        </button>
      </div>
    </Dialog>
  );
}

interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}
const toasts = new Store<Toast[]>([]);
let toastId = 0;

/** A short message at the corner of the screen, read out by screen readers. */
export function toast(text: string, kind: Toast['kind'] = 'info'): void {
  const id = ++toastId;
  toasts.set([...toasts.get(), { id, text, kind }].slice(-3));
  setTimeout(() => toasts.set(toasts.get().filter((x) => x.id !== id)), 4500);
}

export function ToastHost() {
  const list = useStore(toasts);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((x) => (
        <div key={x.id} class={`toast ${x.kind}`} data-testid="toast">
          {x.text}
        </div>
      ))}
    </div>
  );
}

/** A grey placeholder in the shape of what is loading. */
export function Skeleton({ lines = 3, height }: { lines?: number; height?: string }) {
  const t = useT();
  return (
    <div class="stack" aria-busy="true" aria-label={t('loading')} role="status">
      {Array.from({ length: lines }, (_, i) => (
        <span
          key={i}
          class="skeleton"
          style={{ height: height ?? '1.1rem', width: i === lines - 1 ? '60%' : '100%' }}
        />
      ))}
    </div>
  );
}

/** What to show when a list is empty: what it is, and what to do next. */
export function EmptyState({
  icon,
  title,
  children,
  headingLevel = 3,
}: {
  icon?: string;
  title: string;
  children?: ComponentChildren;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div class="empty" data-testid="empty">
      {icon && (
        <span class="empty-icon" aria-hidden="true">
          {icon}
        </span>
      )}
      <Heading>{title}</Heading>
      {children}
    </div>
  );
}

/** Tabs (WAI-ARIA tabs pattern): the panel is the caller's, labelled by the selected tab. */
export function Tabs<K extends string>({
  tabs,
  selected,
  onSelect,
  label,
}: {
  tabs: { key: K; label: string }[];
  selected: K;
  onSelect: (key: K) => void;
  label: string;
}) {
  return (
    <div class="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab, i) => (
        <button
          key={tab.key}
          type="button"
          role="tab"
          id={`tab-${tab.key}`}
          aria-selected={tab.key === selected}
          aria-controls={`panel-${tab.key}`}
          tabIndex={tab.key === selected ? 0 : -1}
          onClick={() => onSelect(tab.key)}
          onKeyDown={(e) => {
            const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
            if (!step) return;
            const next = tabs[(i + step + tabs.length) % tabs.length]!;
            onSelect(next.key);
            document.getElementById(`tab-${next.key}`)?.focus();
          }}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

const STANCES: Stance[] = ['for', 'against', 'neutral'];

/** The stance distribution as a stacked bar with a legend (numbers for everyone, not colour only). */
export function StanceChart({ counts }: { counts: Record<Stance, number> }) {
  const t = useT();
  const total = STANCES.reduce((n, s) => n + counts[s], 0);
  return (
    <div class="stance-chart" data-testid="stance-chart">
      <div
        class="stance-bar"
        role="img"
        aria-label={STANCES.map((s) => `${t(`stance_${s}`)} ${counts[s]}`).join(', ')}
      >
        {STANCES.map((s) => (
          <span
            key={s}
            class={`fill-${s}`}
            style={{ width: total ? `${(counts[s] / total) * 100}%` : '0%' }}
          />
        ))}
      </div>
      <ul class="legend plain-list">
        {STANCES.map((s) => (
          <li key={s} data-stance={s}>
            <span class={`swatch fill-${s}`} aria-hidden="true" />
            {t(`stance_${s}`)} <strong class="stance-count">{counts[s]}</strong>
            {total > 0 && <span class="muted"> ({Math.round((counts[s] / total) * 100)}%)</span>}
          </li>
        ))}
      </ul>
      <p class="muted small">{t('stanceTotal', { n: total })}</p>
    </div>
  );
}

/**
 * A room's stream: a YouTube or Vimeo player, or a <video> for an HLS or MP4 address (HLS
 * where the browser plays it natively; otherwise a link to open it).
 */
export function StreamPlayer({ url, title }: { url: string; title: string }) {
  const t = useT();
  const source = parseStreamUrl(url);
  const [unsupported, setUnsupported] = useState(false);
  if (!source) return null;
  if (source.kind === 'youtube' || source.kind === 'vimeo')
    return (
      <div class="player" data-testid="player" data-kind={source.kind}>
        <iframe
          src={source.embedUrl}
          title={title}
          allow="autoplay; encrypted-media; picture-in-picture; fullscreen"
          allowFullScreen
          referrerpolicy="strict-origin-when-cross-origin"
        />
      </div>
    );
  const media = source as Extract<StreamSource, { url: string }>;
  const hlsUnplayable =
    media.kind === 'hls' &&
    typeof document !== 'undefined' &&
    !document.createElement('video').canPlayType('application/vnd.apple.mpegurl');
  if (hlsUnplayable || unsupported)
    return (
      <div class="notice" data-testid="player" data-kind={source.kind}>
        {t('streamUnsupported')}{' '}
        <a href={media.url} target="_blank" rel="noopener noreferrer">
          {t('openStream')}
        </a>
      </div>
    );
  return (
    <div class="player" data-testid="player" data-kind={source.kind}>
      <video
        src={media.url}
        controls
        playsInline
        preload="metadata"
        aria-label={title}
        onError={() => setUnsupported(true)}
      />
    </div>
  );
}

/** The page's <title>: what is on it, then the service's name. */
export function usePageTitle(title: string | undefined): void {
  const current = useStore(lang);
  useEffect(() => {
    const suffix = translate(current, 'titleSuffix');
    document.title = title ? `${title} — ${suffix}` : suffix;
  }, [title, current]);
}
