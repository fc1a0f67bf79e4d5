import { type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, query } from '../../shared/api';
import { hiddenReasonText } from '../../shared/hidden-reason-text';
import {
  formatTime,
  isMessageKey,
  lang,
  type MessageKey,
  type Translate,
  useT,
} from '../../shared/i18n';
import { useOT } from '../../shared/budget-office-i18n';
import { DateTimeField, seoulInstant } from '../../shared/date-time-field';
import { useStore } from '../../shared/store';
import {
  type AuditEntry,
  type Ban,
  type BulkResolveResult,
  type Page,
  type OwedAnswerItem,
  type ReportGroup,
  type Room,
  type Space,
  type SpacePerson,
  type Topic,
  type User,
} from '../../shared/types';
import {
  confirmAction,
  Dialog,
  EmptyState,
  ErrorNote,
  Form,
  Skeleton,
  Tabs,
  text,
  Time,
  toast,
  usePageTitle,
} from '../../shared/ui';
import { Link } from '../app';
import { api, session, useLoad } from '../context';
import { SpaceBudgetsPanel } from './budget-office';
import { actionLabel } from './console';

/*
 * The back office: what a space's facilitators (/spaces/:slug/manage) and the site's
 * administrators (/admin) run from the pages instead of the API. Every action goes through
 * the same routes as any client; the server decides who may do what.
 */

type Thresholds = Space['thresholds'];

/** Seoul's two ladders: since March 2020, and the earlier one. */
export const SEOUL_LADDERS: { key: 'bo_presetNow' | 'bo_presetEarly'; value: Thresholds }[] = [
  {
    key: 'bo_presetNow',
    value: {
      review: 50,
      deliberation: 100,
      response: 1000,
      proposalWindowDays: 30,
      deliberationDays: 30,
    },
  },
  {
    key: 'bo_presetEarly',
    value: {
      review: 50,
      deliberation: 500,
      response: 5000,
      proposalWindowDays: 30,
      deliberationDays: 30,
    },
  },
];

/**
 * Why a value is not an exact origin, in the terms the server checks (src/core/http/
 * exact-origin.ts): null when it is one.
 */
export function originProblem(value: string, t: Translate, list: string[]): string | null {
  if (value.includes('*')) return t('bo_whyWildcard');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return t('bo_whyParse');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return t('bo_whyScheme');
  if (url.origin !== value) return t('bo_whyPath', { origin: url.origin });
  if (list.includes(value)) return t('bo_whyDuplicate');
  return null;
}

function Guard({
  allowed,
  children,
  admin,
}: {
  allowed: boolean;
  children: ComponentChildren;
  admin?: boolean;
}) {
  const t = useT();
  const signedIn = !!useStore(session);
  if (!signedIn)
    return (
      <EmptyState icon="🔒" title={admin ? t('bo_onlyAdmins') : t('bo_onlyFacilitators')}>
        <Link
          class="btn btn-primary"
          href={`/signin?next=${encodeURIComponent(window.location.pathname)}`}
        >
          {t('signIn')}
        </Link>
      </EmptyState>
    );
  if (!allowed)
    return <EmptyState icon="🔒" title={admin ? t('bo_onlyAdmins') : t('bo_onlyFacilitators')} />;
  return <>{children}</>;
}

// ---- /spaces/:slug/manage -------------------------------------------------------------------

type ManageTab = 'settings' | 'embed' | 'todo' | 'reports' | 'budgets' | 'audit' | 'bans';

export function ManagePage({ slug }: { slug: string }) {
  const t = useT();
  const ot = useOT();
  useStore(session);
  const space = useLoad(() => api.get<Space>(`/spaces/${encodeURIComponent(slug)}`), [slug]);
  const [tab, setTab] = useState<ManageTab>('settings');
  usePageTitle(space.data ? `${t('bo_manage')}: ${space.data.name}` : t('bo_manage'));
  if (space.error) return <ErrorNote error={space.error} />;
  if (!space.data) return <Skeleton lines={4} height="2rem" />;
  const s = space.data;
  const tabs: { key: ManageTab; label: string }[] = [
    { key: 'settings', label: t('bo_tabSettings') },
    { key: 'embed', label: t('bo_tabEmbed') },
    { key: 'todo', label: t('bo_tabTodo') },
    { key: 'reports', label: t('bo_tabReports') },
    { key: 'budgets', label: ot('tabBudgets') },
    { key: 'audit', label: t('bo_tabAudit') },
    { key: 'bans', label: t('bo_tabBans') },
  ];
  return (
    <>
      <p class="crumbs">
        <Link href="/">{t('home')}</Link> › <Link href={`/spaces/${s.slug}`}>{s.name}</Link>
      </p>
      <h1>
        {t('bo_manage')}: {s.name}{' '}
        {s.archivedAt && <span class="badge warn">{t('bo_archived')}</span>}
      </h1>
      <Guard allowed={session.facilitates(s.id)}>
        <Tabs tabs={tabs} selected={tab} onSelect={setTab} label={t('bo_manage')} />
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="section">
          {tab === 'settings' && <SettingsPanel space={s} onSaved={(next) => space.set(next)} />}
          {tab === 'embed' && <EmbedPanel space={s} onSaved={(next) => space.set(next)} />}
          {tab === 'todo' && <TodoPanel space={s} />}
          {tab === 'reports' && <ReportsPanel space={s} />}
          {tab === 'budgets' && <SpaceBudgetsPanel spaceId={s.id} />}
          {tab === 'audit' && <AuditPanel spaceId={s.id} />}
          {tab === 'bans' && <BansPanel space={s} />}
        </div>
      </Guard>
    </>
  );
}

function SettingsPanel({ space, onSaved }: { space: Space; onSaved: (s: Space) => void }) {
  const t = useT();
  const [ladder, setLadder] = useState<Thresholds>(space.thresholds);
  const [hideAt, setHideAt] = useState(space.reportsToHide);
  const field = (key: keyof Thresholds, label: MessageKey, max: number) => (
    <div class="field">
      <label for={`ladder-${key}`}>{t(label)}</label>
      <input
        id={`ladder-${key}`}
        name={`thresholds.${key}`}
        type="number"
        min={1}
        max={max}
        required
        value={ladder[key]}
        onInput={(e) => setLadder({ ...ladder, [key]: Number(e.currentTarget.value) })}
      />
    </div>
  );
  return (
    <Form
      label={t('bo_tabSettings')}
      onSubmit={async (data) => {
        const saved = await api.patch<Space>(`/spaces/${space.id}`, {
          name: text(data, 'name'),
          description: text(data, 'description'),
          thresholds: ladder,
          reportsToHide: hideAt,
        });
        onSaved(saved);
        toast(t('saved'));
      }}
    >
      <label for="space-name">{t('bo_spaceName')}</label>
      <input id="space-name" name="name" required maxLength={100} defaultValue={space.name} />
      <label for="space-description">{t('bo_spaceDescription')}</label>
      <textarea
        id="space-description"
        name="description"
        rows={3}
        maxLength={2000}
        defaultValue={space.description}
      />
      <h2>{t('bo_ladder')}</h2>
      <div class="toolbar" role="group" aria-label={t('bo_presets')}>
        {SEOUL_LADDERS.map((preset) => (
          <button
            key={preset.key}
            type="button"
            class="sm"
            data-testid={preset.key}
            aria-pressed={
              preset.value.review === ladder.review &&
              preset.value.deliberation === ladder.deliberation &&
              preset.value.response === ladder.response
            }
            onClick={() =>
              setLadder({
                ...ladder,
                review: preset.value.review,
                deliberation: preset.value.deliberation,
                response: preset.value.response,
              })
            }
          >
            {t(preset.key)}
          </button>
        ))}
      </div>
      <div class="form-grid">
        {field('review', 'bo_review', 10_000_000)}
        {field('deliberation', 'bo_deliberation', 10_000_000)}
        {field('response', 'bo_response', 100_000_000)}
        {field('proposalWindowDays', 'bo_proposalWindow', 365)}
        {field('deliberationDays', 'bo_deliberationDays', 365)}
        <div class="field">
          <label for="reports-to-hide">{t('bo_reportsToHide')}</label>
          <input
            id="reports-to-hide"
            name="reportsToHide"
            type="number"
            min={1}
            max={1000}
            required
            value={hideAt}
            onInput={(e) => setHideAt(Number(e.currentTarget.value))}
          />
        </div>
      </div>
      <section class="card" aria-labelledby="ladder-preview-h">
        <h3 id="ladder-preview-h">{t('bo_previewTitle')}</h3>
        <ol class="ladder-preview" data-testid="ladder-preview">
          <li>{t('bo_previewReview', { n: ladder.review.toLocaleString() })}</li>
          <li>
            {t('bo_previewDeliberation', {
              n: ladder.deliberation.toLocaleString(),
              days: ladder.deliberationDays,
            })}
          </li>
          <li>{t('bo_previewResponse', { n: ladder.response.toLocaleString() })}</li>
        </ol>
        <p class="muted">{t('bo_previewWindow', { days: ladder.proposalWindowDays })}</p>
        <p class="muted">{t('bo_previewHide', { n: hideAt })}</p>
      </section>
      <button type="submit" class="primary">
        {t('bo_saveSettings')}
      </button>
    </Form>
  );
}

function EmbedPanel({ space, onSaved }: { space: Space; onSaved: (s: Space) => void }) {
  const t = useT();
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [kind, setKind] = useState<'topic' | 'room'>('topic');
  const [target, setTarget] = useState('');
  const topics = useLoad(
    () => api.get<Page<Topic>>(`/topics${query({ spaceId: space.id, limit: 50 })}`),
    [space.id],
  );
  const rooms = useLoad(
    () => api.get<Page<Room>>(`/rooms${query({ spaceId: space.id, limit: 50 })}`),
    [space.id],
  );
  const save = async (origins: string[]) => {
    try {
      onSaved(await api.patch<Space>(`/spaces/${space.id}`, { embedOrigins: origins }));
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  const targetTitle =
    (kind === 'topic' ? topics.data?.items : rooms.data?.items)?.find((x) => x.id === target)
      ?.title ?? '';
  const snippet = target
    ? `<script src="${window.location.origin}/embed.js" data-${kind}="${target}" async></script>`
    : '';
  return (
    <>
      <h2>{t('bo_origins')}</h2>
      {space.embedOrigins.length === 0 && <p class="muted">{t('bo_noOrigins')}</p>}
      <ul class="plain-list origin-list" data-testid="origins">
        {space.embedOrigins.map((origin) => (
          <li key={origin} class="row">
            <code>{origin}</code>
            <button
              type="button"
              class="sm ghost"
              aria-label={t('bo_removeOrigin', { origin })}
              onClick={() => void save(space.embedOrigins.filter((o) => o !== origin))}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      <form
        class="origin-form"
        aria-label={t('bo_addOrigin')}
        onSubmit={(e) => {
          e.preventDefault();
          const value = draft.trim();
          const why = originProblem(value, t, space.embedOrigins);
          setProblem(why ? t('bo_originBad', { why }) : null);
          if (why) return;
          setDraft('');
          void save([...space.embedOrigins, value]);
        }}
      >
        <label for="origin-input">{t('bo_addOrigin')}</label>
        <input
          id="origin-input"
          value={draft}
          placeholder="https://news.seoul.go.kr"
          aria-describedby="origin-hint origin-problem"
          aria-invalid={problem ? 'true' : undefined}
          onInput={(e) => setDraft(e.currentTarget.value)}
          maxLength={255}
          required
        />
        <button type="submit">{t('bo_addOrigin')}</button>
        <p id="origin-hint" class="hint">
          {t('bo_originHint')}
        </p>
        <p id="origin-problem" class="error" role="alert" data-testid="origin-problem">
          {problem}
        </p>
      </form>
      <ErrorNote error={error} />
      <h2>{t('bo_snippet')}</h2>
      <div class="form-grid">
        <div class="field">
          <label for="snippet-kind">{t('bo_snippetKind')}</label>
          <select
            id="snippet-kind"
            value={kind}
            onChange={(e) => {
              setKind(e.currentTarget.value as 'topic' | 'room');
              setTarget('');
            }}
          >
            <option value="topic">{t('bo_snippetTopic')}</option>
            <option value="room">{t('bo_snippetRoom')}</option>
          </select>
        </div>
        <div class="field">
          <label for="snippet-target">
            {kind === 'topic' ? t('bo_snippetTopic') : t('bo_snippetRoom')}
          </label>
          <select
            id="snippet-target"
            value={target}
            onChange={(e) => setTarget(e.currentTarget.value)}
          >
            <option value="">{t('bo_choose')}</option>
            {(kind === 'topic' ? topics.data?.items : rooms.data?.items)?.map((x) => (
              <option key={x.id} value={x.id}>
                {x.title}
              </option>
            ))}
          </select>
        </div>
      </div>
      {snippet && (
        <>
          <label for="snippet-code">{t('bo_snippetCode')}</label>
          <textarea id="snippet-code" readOnly rows={2} value={snippet} data-testid="snippet" />
          <button
            type="button"
            class="primary sm"
            onClick={() =>
              void navigator.clipboard
                .writeText(snippet)
                .then(() => toast(t('bo_copied')))
                .catch(() => {
                  const area = document.getElementById(
                    'snippet-code',
                  ) as HTMLTextAreaElement | null;
                  area?.select();
                })
            }
          >
            {t('bo_copy')}
          </button>
          <h3 class="widget-preview-h">{t('bo_widgetPreview')}</h3>
          <p class="hint">{t('bo_widgetPreviewHint')}</p>
          {/* The widget as a committee page frames it; `preview=1` lets this page frame it too. */}
          <iframe
            key={`${kind}-${target}`}
            class="widget-preview"
            data-testid="widget-preview"
            src={`/embed/${kind === 'topic' ? 'topics' : 'rooms'}/${target}?preview=1`}
            title={t('bo_widgetPreviewTitle', { title: targetTitle })}
            sandbox="allow-scripts allow-same-origin allow-popups allow-forms allow-popups-to-escape-sandbox"
          />
        </>
      )}
    </>
  );
}

function TodoPanel({ space }: { space: Space }) {
  const t = useT();
  const current = useStore(lang);
  const load = useLoad(async () => {
    const [owed, review, closed, scheduled, live] = await Promise.all([
      api.get<OwedAnswerItem[]>(`/spaces/${space.id}/owed-answers`),
      api.get<Page<Topic>>(
        `/topics${query({ spaceId: space.id, status: 'under_review', limit: 100 })}`,
      ),
      api.get<Page<Topic>>(`/topics${query({ spaceId: space.id, status: 'closed', limit: 100 })}`),
      api.get<Page<Room>>(`/rooms${query({ spaceId: space.id, status: 'scheduled', limit: 100 })}`),
      api.get<Page<Room>>(`/rooms${query({ spaceId: space.id, status: 'live', limit: 100 })}`),
    ]);
    return {
      owed,
      waiting: [...review.items, ...closed.items],
      rooms: [...live.items, ...scheduled.items],
    };
  }, [space.id]);
  if (load.error) return <ErrorNote error={load.error} />;
  if (!load.data) return <Skeleton lines={4} />;
  // The server lists them earliest due first, so the late ones lead.
  const { owed, waiting } = load.data;
  return (
    <>
      <section aria-labelledby="owed-h">
        <h2 id="owed-h">{t('bo_owed')}</h2>
        {owed.length === 0 && <p class="muted">{t('bo_noOwed')}</p>}
        <ul class="plain-list stack" data-testid="owed">
          {owed.map((o) => (
            <li
              key={`${o.topicId}-${o.rung}`}
              class={`card ${o.overdue ? 'overdue' : ''}`}
              data-overdue={String(o.overdue)}
            >
              {o.overdue && <span class="badge warn">{t('bo_overdue')}</span>}{' '}
              <Link href={`/topics/${o.topicId}`}>{o.title}</Link>
              <p class="meta">
                <span>{t(`bo_rung_${o.rung}` as MessageKey)}</span>
                <span>{t('bo_dueAt', { at: formatTime(o.dueAt, current) })}</span>
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="waiting-h">
        <h2 id="waiting-h">{t('bo_waiting')}</h2>
        {waiting.length === 0 && <p class="muted">{t('bo_noWaiting')}</p>}
        <ul class="plain-list stack">
          {waiting.map((x) => (
            <li key={x.id}>
              <Link href={`/topics/${x.id}`}>{x.title}</Link>{' '}
              <span class={`badge status-${x.status}`}>
                {t(`status_${x.status}` as MessageKey)}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="rooms-todo-h">
        <h2 id="rooms-todo-h">{t('bo_roomsTodo')}</h2>
        {load.data.rooms.length === 0 && <p class="muted">{t('bo_noRooms')}</p>}
        <ul class="plain-list stack">
          {load.data.rooms.map((r) => (
            <li key={r.id}>
              <a href={`/rooms/${r.id}/console`}>{r.title}</a>{' '}
              <span class={r.status === 'live' ? 'badge live-badge' : 'badge'}>
                {t(r.status === 'live' ? 'liveNow' : 'bo_startsAt')}
              </span>{' '}
              {r.startsAt && <Time iso={r.startsAt} style="full" />}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function ReportsPanel({ space }: { space: Space }) {
  const t = useT();
  const groups = useLoad(
    () => api.get<Page<ReportGroup>>(`/spaces/${space.id}/report-groups?limit=100`),
    [space.id],
  );
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [banning, setBanning] = useState<ReportGroup | null>(null);
  const items = groups.data?.items;
  const bulk = async (action: 'hide' | 'dismiss') => {
    const ids = (items ?? []).filter((g) => selected.has(g.comment.id)).flatMap((g) => g.reportIds);
    if (
      !(await confirmAction(
        t('bo_confirmBulk', { n: selected.size }),
        action === 'hide' ? t('bo_bulkHide') : t('bo_bulkDismiss'),
      ))
    )
      return;
    try {
      const done = await api.post<BulkResolveResult>(`/spaces/${space.id}/reports/resolve`, {
        action,
        reportIds: ids,
      });
      toast(t('bo_bulkDone', { n: selected.size, r: done.resolved.length }));
      setSelected(new Set());
      setError(null);
      groups.reload();
    } catch (e) {
      setError(e);
    }
  };
  if (groups.error) return <ErrorNote error={groups.error} />;
  if (!items) return <Skeleton lines={4} />;
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  return (
    <>
      <h2>{t('bo_reportGroups')}</h2>
      <ErrorNote error={error} />
      {items.length === 0 ? (
        <p class="muted">{t('bo_noReports')}</p>
      ) : (
        <div class="toolbar">
          <label class="row">
            <input
              type="checkbox"
              checked={selected.size === items.length}
              onChange={(e) =>
                setSelected(
                  e.currentTarget.checked ? new Set(items.map((g) => g.comment.id)) : new Set(),
                )
              }
            />{' '}
            {t('bo_selectAll')}
          </label>
          <span data-testid="selected-count">{t('bo_selected', { n: selected.size })}</span>
          <button
            type="button"
            class="danger sm"
            disabled={selected.size === 0}
            onClick={() => void bulk('hide')}
          >
            {t('bo_bulkHide')}
          </button>
          <button
            type="button"
            class="sm"
            disabled={selected.size === 0}
            onClick={() => void bulk('dismiss')}
          >
            {t('bo_bulkDismiss')}
          </button>
        </div>
      )}
      <ul class="plain-list stack" data-testid="report-groups">
        {items.map((g) => (
          <li key={g.comment.id} class="card report-group" data-comment-id={g.comment.id}>
            <label class="row">
              <input
                type="checkbox"
                checked={selected.has(g.comment.id)}
                onChange={(e) => toggle(g.comment.id, e.currentTarget.checked)}
                aria-label={t('bo_select', { who: g.comment.author.displayName })}
              />
              <strong>{g.comment.author.displayName}</strong>
              <span class="badge warn">{t('bo_reportCount', { n: g.reportCount })}</span>
              {g.comment.status === 'hidden' && <span class="badge hidden-mark">{t('hide')}</span>}
            </label>
            <blockquote>{g.comment.body}</blockquote>
            <p class="meta">
              {g.reasons.map((r) => (
                <span key={r.reason}>
                  {t(`bo_reason_${r.reason}` as MessageKey)} {r.count}
                </span>
              ))}
              <span>
                <Time iso={g.firstReportedAt} />
              </span>
            </p>
            {g.details.length > 0 && (
              <ul class="muted">
                {g.details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            )}
            <div class="toolbar">
              <button
                type="button"
                class="danger sm"
                data-testid="ban-author"
                aria-label={t('bo_banAuthorOf', { who: g.comment.author.displayName })}
                onClick={() => setBanning(g)}
              >
                {t('bo_banAuthor')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {banning && (
        <BanAuthorDialog space={space} group={banning} onClose={() => setBanning(null)} />
      )}
    </>
  );
}

/** What the audit log records, shown as key: value lines (text, never HTML). */
/** The audit's state fields by name, in the reader's language (unknown ones as they are). */
const fieldKey = (name: string): MessageKey | undefined => {
  const key = `bo_field_${name}`;
  return isMessageKey(key) ? key : undefined;
};
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A state value as a reader takes it: yes/no, a local time, a status by its name. */
function StateValue({ name, value }: { name: string; value: unknown }) {
  const t = useT();
  if (value === null || value === undefined) return <span class="muted">—</span>;
  if (typeof value === 'boolean') return <>{t(value ? 'bo_yes' : 'bo_no')}</>;
  if (typeof value === 'string') {
    if (ISO_TIME.test(value)) return <Time iso={value} />;
    if (name === 'hiddenReason') return <>{hiddenReasonText(value, t)}</>;
    const named = name === 'status' ? `status_${value}` : `bo_value_${name}_${value}`;
    return <>{isMessageKey(named) ? t(named) : value}</>;
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return <>{value.join(', ')}</>;
  // Settings and ladders: their fields, labelled in turn.
  if (typeof value === 'object' && !Array.isArray(value))
    return <StateView value={value as Record<string, unknown>} />;
  return <code>{JSON.stringify(value)}</code>;
}

function StateView({ value }: { value: Record<string, unknown> | null }) {
  const t = useT();
  if (!value) return <span class="muted">—</span>;
  return (
    <dl class="kv">
      {Object.entries(value).map(([k, v]) => {
        const label = fieldKey(k);
        return (
          <div key={k}>
            <dt>{label ? t(label) : k}</dt>
            <dd>
              <StateValue name={k} value={v} />
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

/** An action by its name, and whom it was about when that is a person. */
function AuditAction({ entry }: { entry: AuditEntry }) {
  const t = useT();
  return (
    <>
      {actionLabel(t, entry.action)}
      {entry.targetName && <span class="audit-target">{entry.targetName}</span>}
    </>
  );
}

/** The reason of a row: a resolution by its name, a hide reason in the reader's language. */
const auditReason = (e: AuditEntry, t: Translate): string =>
  e.action === 'report.resolve' && (e.reason === 'hide' || e.reason === 'dismiss')
    ? t(`bo_resolution_${e.reason}`)
    : e.reason
      ? hiddenReasonText(e.reason, t)
      : '—';

const AUDIT_ACTIONS = [
  'topic.open_deliberation',
  'topic.close',
  'topic.reject',
  'topic.respond',
  'topic.edit',
  'comment.hide',
  'comment.restore',
  'comment.auto_hide',
  'report.resolve',
  'user.ban',
  'user.unban',
  'user.role',
  'space.update',
  'space.archive',
  'space.restore',
  'facilitator.grant',
  'facilitator.revoke',
  'room.create',
  'room.update',
  'room.start',
  'room.end',
  'room.announce',
  'room.mute',
  'room.unmute',
  'room.ban',
  'room.unban',
  'room.pin',
  'room.unpin',
];

/** A space's audit log (or, without `spaceId`, the whole site's for administrators). */
export function AuditPanel({ spaceId }: { spaceId?: string }) {
  const t = useT();
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [extra, setExtra] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const base = spaceId ? `/spaces/${spaceId}/audit` : '/audit';
  const page = useLoad(async () => {
    const p = await api.get<Page<AuditEntry>>(`${base}${query({ ...filters, limit: 50 })}`);
    setExtra([]);
    setCursor(p.nextCursor);
    return p;
  }, [base, JSON.stringify(filters)]);
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    try {
      const res = await fetch(`/api/v1${base}${query({ ...filters, format: 'csv' })}`, {
        headers: { Authorization: `Bearer ${session.get()?.token ?? ''}`, Accept: 'text/csv' },
      });
      if (!res.ok) throw new ApiError(res.status, 'error', res.statusText);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = 'audit.csv';
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e);
    }
  };
  const rows = [...(page.data?.items ?? []), ...extra];
  return (
    <>
      <Form
        label={t('bo_filter')}
        class="filters"
        onSubmit={async (data) => {
          const next: Record<string, string> = {};
          for (const key of ['actorId', 'action', 'targetId'])
            if (text(data, key)) next[key] = text(data, key);
          if (text(data, 'from')) next.from = seoulInstant(text(data, 'from'));
          if (text(data, 'to')) next.to = seoulInstant(text(data, 'to'));
          setFilters(next);
          await Promise.resolve();
        }}
      >
        <div class="form-grid">
          <div class="field">
            <label for="audit-actor">{t('bo_filterActor')}</label>
            <input id="audit-actor" name="actorId" maxLength={36} />
          </div>
          <div class="field">
            <label for="audit-action">{t('bo_filterAction')}</label>
            <select id="audit-action" name="action">
              <option value="">{t('bo_allActions')}</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {actionLabel(t, a)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="audit-target">{t('bo_filterTarget')}</label>
            <input id="audit-target" name="targetId" maxLength={36} />
          </div>
          <DateTimeField id="audit-from" name="from" label={t('bo_filterFrom')} />
          <DateTimeField id="audit-to" name="to" label={t('bo_filterTo')} />
        </div>
        <div class="toolbar">
          <button type="submit" class="primary sm">
            {t('bo_filter')}
          </button>
          <button type="button" class="sm" onClick={() => void download()}>
            {t('bo_csv')}
          </button>
        </div>
      </Form>
      <ErrorNote error={page.error ?? error} />
      {!page.data && !page.error && <Skeleton lines={4} />}
      {page.data && rows.length === 0 && <p class="muted">{t('bo_noAudit')}</p>}
      {rows.length > 0 && (
        <>
          <div class="table-wrap audit-table">
            <table class="audit" data-testid="audit">
              <thead>
                <tr>
                  <th scope="col">{t('bo_when')}</th>
                  <th scope="col">{t('bo_actor')}</th>
                  <th scope="col">{t('bo_filterAction')}</th>
                  <th scope="col">{t('reason')}</th>
                  <th scope="col">{t('bo_before')}</th>
                  <th scope="col">{t('bo_after')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((e) => (
                  <tr key={e.id} data-action={e.action}>
                    <td>
                      <Time iso={e.createdAt} style="full" />
                    </td>
                    <td>{e.actor?.displayName ?? t('bo_system')}</td>
                    <td>
                      <AuditAction entry={e} />
                    </td>
                    <td>{auditReason(e, t)}</td>
                    <td>
                      <StateView value={e.before} />
                    </td>
                    <td>
                      <StateView value={e.after} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {/* The same rows as cards on a phone, where six columns do not fit (CSS picks one). */}
          <ol class="plain-list stack audit-cards" data-testid="audit-cards">
            {rows.map((e) => (
              <li key={e.id} class="card" data-action={e.action}>
                <p class="audit-card-head">
                  <strong>
                    <AuditAction entry={e} />
                  </strong>
                  <Time iso={e.createdAt} style="full" />
                </p>
                <dl class="audit-card-fields">
                  <div>
                    <dt>{t('bo_actor')}</dt>
                    <dd>{e.actor?.displayName ?? t('bo_system')}</dd>
                  </div>
                  <div>
                    <dt>{t('reason')}</dt>
                    <dd>{auditReason(e, t)}</dd>
                  </div>
                  <div>
                    <dt>{t('bo_before')}</dt>
                    <dd>
                      <StateView value={e.before} />
                    </dd>
                  </div>
                  <div>
                    <dt>{t('bo_after')}</dt>
                    <dd>
                      <StateView value={e.after} />
                    </dd>
                  </div>
                </dl>
              </li>
            ))}
          </ol>
        </>
      )}
      {cursor && (
        <button
          type="button"
          class="sm"
          onClick={() =>
            void api
              .get<Page<AuditEntry>>(`${base}${query({ ...filters, limit: 50, cursor })}`)
              .then((p) => {
                setExtra([...extra, ...p.items]);
                setCursor(p.nextCursor);
              })
              .catch(setError)
          }
        >
          {t('bo_more')}
        </button>
      )}
    </>
  );
}

/**
 * The ARIA combobox of the people of a space (list autocomplete): type part of a name, the
 * server answers with who took part in the space, arrows move through the list, Enter or a
 * click chooses, Escape closes. The chosen person's id goes with the form as `name`.
 */
function PersonPicker({
  spaceId,
  name,
  label,
  problem,
}: {
  spaceId: string;
  name: string;
  label: string;
  problem: string | null;
}) {
  const t = useT();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<SpacePerson[] | null>(null);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<SpacePerson | null>(null);
  const [error, setError] = useState<unknown>(null);
  const asked = useRef(0);
  useEffect(() => {
    const term = q.trim();
    if (!term || chosen?.displayName === q) return;
    // Wait for a pause in typing; only the latest answer counts.
    const ask = ++asked.current;
    const timer = setTimeout(() => {
      api
        .get<SpacePerson[]>(`/spaces/${spaceId}/people${query({ q: term, limit: 10 })}`)
        .then((people) => {
          if (ask !== asked.current) return;
          setFound(people);
          setActive(people.length ? 0 : -1);
          setOpen(true);
          setError(null);
        })
        .catch((e: unknown) => ask === asked.current && setError(e));
    }, 200);
    return () => clearTimeout(timer);
  }, [q, spaceId]);
  const choose = (p: SpacePerson) => {
    setChosen(p);
    setQ(p.displayName);
    setOpen(false);
  };
  const listId = `${name}-people`;
  const optionId = (i: number) => `${listId}-${i}`;
  const items = found ?? [];
  const expanded = open && items.length > 0;
  const status = !q.trim()
    ? ''
    : chosen && chosen.displayName === q
      ? t('bo_personChosen', { who: chosen.displayName })
      : open && found
        ? items.length
          ? t('bo_personFound', { n: items.length })
          : t('bo_personNone')
        : '';
  return (
    <div class="field">
      <label for={`${name}-input`}>{label}</label>
      <div class="combo-box">
        <input
          id={`${name}-input`}
          type="text"
          role="combobox"
          autocomplete="off"
          aria-autocomplete="list"
          aria-expanded={expanded ? 'true' : 'false'}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          aria-describedby={`${name}-hint ${name}-status`}
          aria-invalid={problem ? 'true' : undefined}
          maxLength={100}
          value={q}
          onInput={(e) => {
            setQ(e.currentTarget.value);
            setChosen(null);
            if (!e.currentTarget.value.trim()) {
              setFound(null);
              setOpen(false);
            }
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && items.length) {
              e.preventDefault();
              setOpen(true);
              setActive((active + 1) % items.length);
            } else if (e.key === 'ArrowUp' && items.length) {
              e.preventDefault();
              setOpen(true);
              setActive((active - 1 + items.length) % items.length);
            } else if (e.key === 'Enter' && expanded && active >= 0) {
              e.preventDefault();
              choose(items[active]!);
            } else if (e.key === 'Escape' && open) {
              e.preventDefault();
              setOpen(false);
            }
          }}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
        />
        <input type="hidden" name={name} value={chosen?.id ?? ''} />
        <ul id={listId} role="listbox" aria-label={label} class="combo-list" hidden={!expanded}>
          {items.map((p, i) => (
            <li
              key={p.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active ? 'true' : 'false'}
              class={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                // Keep the focus in the input; the choice is made here.
                e.preventDefault();
                choose(p);
              }}
            >
              <span>{p.displayName}</span>
              {p.email && <span class="muted">{p.email}</span>}
              {p.banned && <span class="badge warn">{t('bo_personBanned')}</span>}
            </li>
          ))}
        </ul>
      </div>
      <p id={`${name}-hint`} class="hint">
        {t('bo_personHint')}
      </p>
      <p id={`${name}-status`} class="hint" role="status" data-testid="person-status">
        {status}
      </p>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <ErrorNote error={error} />
    </div>
  );
}

function BansPanel({ space }: { space: Space }) {
  const t = useT();
  const current = useStore(lang);
  const bans = useLoad(() => api.get<Page<Ban>>(`/spaces/${space.id}/bans?limit=100`), [space.id]);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // A new key clears the picker after a ban (the form's reset does not reach its state).
  const [round, setRound] = useState(0);
  return (
    <>
      <h2>{t('bo_banUser')}</h2>
      <Form
        label={t('bo_banUser')}
        onSubmit={async (data, form) => {
          const userId = text(data, 'userId');
          if (!userId) {
            setProblem(t('bo_personRequired'));
            form.querySelector<HTMLInputElement>('[role="combobox"]')?.focus();
            return;
          }
          setProblem(null);
          const until = text(data, 'until');
          await api.put(`/spaces/${space.id}/bans/${encodeURIComponent(userId)}`, {
            reason: text(data, 'reason'),
            ...(until ? { until: seoulInstant(until) } : {}),
          });
          form.reset();
          setRound(round + 1);
          bans.reload();
        }}
      >
        <div class="form-grid">
          <PersonPicker
            key={round}
            spaceId={space.id}
            name="userId"
            label={t('bo_banPerson')}
            problem={problem}
          />
          <div class="field">
            <label for="ban-reason">{t('reason')}</label>
            <input id="ban-reason" name="reason" required maxLength={500} />
          </div>
          <DateTimeField key={round} id="ban-until" name="until" label={t('bo_banUntil')} />
        </div>
        <button type="submit" class="danger sm">
          {t('bo_banUser')}
        </button>
      </Form>
      <h2>{t('bo_bans')}</h2>
      <ErrorNote error={bans.error ?? error} />
      {bans.data?.items.length === 0 && <p class="muted">{t('bo_noBans')}</p>}
      <ul class="plain-list stack" data-testid="bans">
        {bans.data?.items.map((b) => (
          <li key={b.user.id} class="card row">
            <strong>{b.user.displayName}</strong>
            <span>{b.reason}</span>
            <span class="muted">
              {b.until ? t('bo_until', { at: formatTime(b.until, current) }) : t('bo_forever')}
            </span>
            <button
              type="button"
              class="sm"
              onClick={() =>
                void confirmAction(
                  t('bo_confirmLift', { who: b.user.displayName }),
                  t('bo_lift'),
                ).then(async (ok) => {
                  if (!ok) return;
                  try {
                    await api.delete(`/spaces/${space.id}/bans/${b.user.id}`);
                    bans.reload();
                  } catch (e) {
                    setError(e);
                  }
                })
              }
            >
              {t('bo_lift')}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Bans the author of a reported comment from the space, the comment named in the audit row. */
function BanAuthorDialog({
  space,
  group,
  onClose,
}: {
  space: Space;
  group: ReportGroup;
  onClose: (banned: boolean) => void;
}) {
  const t = useT();
  const who = group.comment.author.displayName;
  return (
    <Dialog title={t('bo_banAuthorOf', { who })} onClose={() => onClose(false)} id="ban-author">
      <p class="muted">{t('bo_banAuthorIntro', { who })}</p>
      <Form
        label={t('bo_banAuthorOf', { who })}
        onSubmit={async (data) => {
          const until = text(data, 'until');
          await api.put(`/spaces/${space.id}/bans/${group.comment.author.id}`, {
            reason: text(data, 'reason'),
            commentId: group.comment.id,
            ...(until ? { until: seoulInstant(until) } : {}),
          });
          toast(t('bo_banAuthorDone', { who }));
          onClose(true);
        }}
      >
        <label for="ban-author-reason">{t('reason')}</label>
        <input
          id="ban-author-reason"
          name="reason"
          required
          maxLength={500}
          defaultValue={t(`bo_reason_${group.reasons[0]?.reason ?? 'other'}` as MessageKey)}
        />
        <DateTimeField id="ban-author-until" name="until" label={t('bo_banUntil')} />
        <div class="modal-actions">
          <button type="button" onClick={() => onClose(false)}>
            {t('cancel')}
          </button>
          <button type="submit" class="danger" data-testid="ban-author-submit">
            {t('bo_banUser')}
          </button>
        </div>
      </Form>
    </Dialog>
  );
}

// ---- /admin ---------------------------------------------------------------------------------

type AdminTab = 'spaces' | 'users' | 'facilitators' | 'audit';

export function AdminPage() {
  const t = useT();
  const me = useStore(session)?.user;
  const [tab, setTab] = useState<AdminTab>('spaces');
  usePageTitle(t('bo_admin'));
  const tabs: { key: AdminTab; label: string }[] = [
    { key: 'spaces', label: t('bo_tabSpaces') },
    { key: 'users', label: t('bo_tabUsers') },
    { key: 'facilitators', label: t('bo_tabFacilitators') },
    { key: 'audit', label: t('bo_tabAudit') },
  ];
  return (
    <>
      <h1>{t('bo_admin')}</h1>
      <Guard allowed={me?.role === 'admin'} admin>
        <Tabs tabs={tabs} selected={tab} onSelect={setTab} label={t('bo_admin')} />
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="section">
          {tab === 'spaces' && <SpacesAdmin />}
          {tab === 'users' && <UsersAdmin />}
          {tab === 'facilitators' && <FacilitatorsAdmin />}
          {tab === 'audit' && <AuditPanel />}
        </div>
      </Guard>
    </>
  );
}

const useAllSpaces = () =>
  useLoad(() => api.get<Page<Space>>('/spaces?includeArchived=true&limit=100'), []);

function SpacesAdmin() {
  const t = useT();
  const spaces = useAllSpaces();
  const [error, setError] = useState<unknown>(null);
  const toggle = async (s: Space) => {
    if (
      !s.archivedAt &&
      !(await confirmAction(t('bo_confirmArchive', { name: s.name }), t('bo_archive')))
    )
      return;
    try {
      await api.post(`/spaces/${s.id}/${s.archivedAt ? 'restore' : 'archive'}`);
      spaces.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h2>{t('bo_createSpace')}</h2>
      <Form
        label={t('bo_createSpace')}
        onSubmit={async (data, form) => {
          await api.post<Space>('/spaces', {
            slug: text(data, 'slug'),
            name: text(data, 'name'),
            description: text(data, 'description'),
          });
          form.reset();
          spaces.reload();
          toast(t('saved'));
        }}
      >
        <div class="form-grid">
          <div class="field">
            <label for="new-space-name">{t('bo_spaceName')}</label>
            <input id="new-space-name" name="name" required maxLength={100} />
          </div>
          <div class="field">
            <label for="new-space-slug">{t('bo_spaceSlug')}</label>
            <input
              id="new-space-slug"
              name="slug"
              required
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
              minLength={3}
              maxLength={64}
            />
          </div>
        </div>
        <label for="new-space-description">{t('bo_spaceDescription')}</label>
        <textarea id="new-space-description" name="description" rows={2} maxLength={2000} />
        <button type="submit" class="primary sm">
          {t('bo_createSpace')}
        </button>
      </Form>
      <h2>{t('bo_tabSpaces')}</h2>
      <ErrorNote error={spaces.error ?? error} />
      <ul class="plain-list stack" data-testid="admin-spaces">
        {spaces.data?.items.map((s) => (
          <li key={s.id} class="card row" data-slug={s.slug}>
            <strong>{s.name}</strong>
            <code>{s.slug}</code>
            {s.archivedAt && <span class="badge warn">{t('bo_archived')}</span>}
            <Link class="btn btn-sm" href={`/spaces/${s.slug}/manage`}>
              {t('bo_edit')}
            </Link>
            <button type="button" class="sm" onClick={() => void toggle(s)}>
              {s.archivedAt ? t('bo_restore') : t('bo_archive')}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

/** People found by the search, shared by the users and facilitators tabs. */
function UserSearch({ onPick }: { onPick?: (u: User) => void }) {
  const t = useT();
  const [q, setQ] = useState('');
  const found = useLoad(() => api.get<Page<User>>(`/users${query({ q, limit: 20 })}`), [q]);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const input = e.currentTarget.querySelector('input');
          setQ(input?.value.trim() ?? '');
        }}
      >
        <label for="user-search">{t('bo_searchUsers')}</label>
        <input id="user-search" type="search" maxLength={100} />
        <button type="submit" class="sm">
          {t('search')}
        </button>
      </form>
      <ErrorNote error={found.error ?? error} />
      {found.data?.items.length === 0 && <p class="muted">{t('bo_noUsers')}</p>}
      <ul class="plain-list stack" data-testid="users">
        {found.data?.items.map((u) => (
          <li key={u.id} class="card row" data-email={u.email}>
            <strong>{u.displayName}</strong>
            <span class="muted">{u.email}</span>
            <label class="sr-only" for={`role-${u.id}`}>
              {t('bo_roleOf', { who: u.displayName })}
            </label>
            <select
              id={`role-${u.id}`}
              value={u.role}
              onChange={(e) => {
                const role = e.currentTarget.value;
                void api
                  .patch(`/users/${u.id}/role`, { role })
                  .then(() => {
                    toast(t('bo_roleSaved', { who: u.displayName }));
                    found.reload();
                  })
                  .catch((err: unknown) => {
                    setError(err);
                    found.reload();
                  });
              }}
            >
              <option value="citizen">{t('bo_role_citizen')}</option>
              <option value="admin">{t('bo_role_admin')}</option>
            </select>
            {onPick && (
              <button type="button" class="primary sm" onClick={() => onPick(u)}>
                {t('bo_grant')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function UsersAdmin() {
  return <UserSearch />;
}

function FacilitatorsAdmin() {
  const t = useT();
  const spaces = useAllSpaces();
  const [spaceId, setSpaceId] = useState('');
  const facilitators = useLoad(
    () =>
      spaceId
        ? api.get<{ userId: string; displayName: string; grantedAt: string }[]>(
            `/spaces/${spaceId}/facilitators`,
          )
        : Promise.resolve(undefined),
    [spaceId],
  );
  const [error, setError] = useState<unknown>(null);
  const space = spaces.data?.items.find((s) => s.id === spaceId);
  const run = (p: Promise<unknown>) =>
    void p.then(() => facilitators.reload()).catch((e: unknown) => setError(e));
  return (
    <>
      <div class="field">
        <label for="fac-space">{t('bo_space')}</label>
        <select id="fac-space" value={spaceId} onChange={(e) => setSpaceId(e.currentTarget.value)}>
          <option value="">{t('bo_choose')}</option>
          {spaces.data?.items.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={facilitators.error ?? error} />
      {space && (
        <>
          <h2>
            {t('bo_tabFacilitators')}: {space.name}
          </h2>
          {facilitators.data?.length === 0 && <p class="muted">{t('bo_noFacilitators')}</p>}
          <ul class="plain-list stack" data-testid="facilitators">
            {facilitators.data?.map((f) => (
              <li key={f.userId} class="card row">
                <strong>{f.displayName}</strong>
                <button
                  type="button"
                  class="sm"
                  onClick={() =>
                    void confirmAction(
                      t('bo_confirmRevoke', { who: f.displayName }),
                      t('bo_revoke'),
                    ).then(
                      (ok) => ok && run(api.delete(`/spaces/${space.id}/facilitators/${f.userId}`)),
                    )
                  }
                >
                  {t('bo_revoke')}
                </button>
              </li>
            ))}
          </ul>
          <h3>{t('bo_grantTo', { space: space.name })}</h3>
          <p class="hint">{t('bo_grantHint')}</p>
          <UserSearch onPick={(u) => run(api.put(`/spaces/${space.id}/facilitators/${u.id}`))} />
        </>
      )}
    </>
  );
}
