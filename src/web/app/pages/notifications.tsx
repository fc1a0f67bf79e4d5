import { useEffect, useState } from 'preact/hooks';
import {
  EMAIL_CADENCES,
  NOTIFICATION_SWITCHES,
  type NotificationView,
} from '../../../protocol/views';
import type { NotificationSettings } from '../../../notifications/notifications.service';
import { type MessageKey, useT } from '../../shared/i18n';
import {
  notificationDetail,
  notificationHref,
  notificationText,
} from '../../shared/notification-text';
import { useStore } from '../../shared/store';
import { type Page } from '../../shared/types';
import {
  EmptyState,
  ErrorNote,
  Form,
  Skeleton,
  Tabs,
  Time,
  toast,
  usePageTitle,
} from '../../shared/ui';
import { Link } from '../app';
import { api, session, useLoad } from '../context';
import { incoming, unread } from '../notification-state';

/**
 * The bell in the header: a link to the inbox that shows how many are unread, and says it
 * ("알림 3개 읽지 않음") from its own text, so its name and what it shows never differ.
 */
export function Bell() {
  const t = useT();
  const count = useStore(unread);
  return (
    <Link href="/me/notifications" class="bell">
      <span aria-hidden="true">🔔</span>
      <span class="sr-only-sm">{t('notifications')}</span>
      {count > 0 && (
        <>
          <span class="bell-count" data-testid="unread-count">
            {count > 99 ? '99+' : count}
          </span>
          <span class="sr-only">{t('unreadSuffix')}</span>
        </>
      )}
    </Link>
  );
}

function SignInFirst({ next, title }: { next: string; title: string }) {
  const t = useT();
  return (
    <EmptyState icon="🔐" title={title} headingLevel={2}>
      <p>
        <Link href={`/signin?next=${encodeURIComponent(next)}`} class="btn btn-primary">
          {t('signIn')}
        </Link>
      </p>
    </EmptyState>
  );
}

type Filter = 'all' | 'unread';

/** `/me/notifications`: the inbox, newest first, with what arrives live on top. */
export function InboxPage() {
  const t = useT();
  const me = useStore(session);
  const [filter, setFilter] = useState<Filter>('all');
  const [more, setMore] = useState<{ items: NotificationView[]; next: string | null }>({
    items: [],
    next: null,
  });
  const pushed = useStore(incoming);
  usePageTitle(t('notifications'));
  const page = useLoad(
    () =>
      me
        ? api.get<Page<NotificationView>>(
            `/me/notifications?limit=20${filter === 'unread' ? '&unread=true' : ''}`,
          )
        : Promise.resolve(undefined),
    [me?.user.id, filter],
  );
  useEffect(() => {
    setMore({ items: [], next: page.data?.nextCursor ?? null });
    // What arrived before this load is in it; only later pushes are shown on top.
    incoming.set([]);
  }, [page.data]);
  const [read, setRead] = useState<Set<string>>(new Set());
  if (!me) return <SignInFirst next="/me/notifications" title={t('notifications')} />;

  const loaded = page.data?.items ?? [];
  const seen = new Set(loaded.map((n) => n.id));
  const items = [...pushed.filter((n) => !seen.has(n.id)), ...loaded, ...more.items].map((n) =>
    read.has(n.id) && !n.readAt ? { ...n, readAt: new Date().toISOString() } : n,
  );
  const shown = filter === 'unread' ? items.filter((n) => !n.readAt || read.has(n.id)) : items;

  const markRead = async (ids: string[] | 'all') => {
    const answer = await api.post<{ unread: number }>(
      '/me/notifications/read',
      ids === 'all' ? { all: true } : { ids },
    );
    unread.set(answer.unread);
    setRead(new Set([...read, ...(ids === 'all' ? items.map((n) => n.id) : ids)]));
    if (ids === 'all') toast(t('markedAllRead'));
  };

  return (
    <>
      <div class="row page-head">
        <h1>{t('notifications')}</h1>
        <div class="row">
          <button
            type="button"
            class="sm"
            data-testid="mark-all-read"
            onClick={() => void markRead('all').catch(() => toast(t('errorGeneric'), 'error'))}
          >
            {t('markAllRead')}
          </button>
          <Link href="/me/notification-settings" class="btn btn-sm">
            {t('notificationSettings')}
          </Link>
        </div>
      </div>
      <Tabs<Filter>
        label={t('notifications')}
        selected={filter}
        onSelect={(f) => {
          setRead(new Set());
          setFilter(f);
        }}
        tabs={[
          { key: 'all', label: t('allNotifications') },
          { key: 'unread', label: t('unreadOnly') },
        ]}
      />
      <div role="tabpanel" id={`panel-${filter}`} aria-labelledby={`tab-${filter}`}>
        {page.error ? (
          <ErrorNote error={page.error} />
        ) : !page.data ? (
          <Skeleton lines={4} height="3.5rem" />
        ) : shown.length === 0 ? (
          <EmptyState icon="🔔" title={t('noNotifications')}>
            <p class="muted">{t('noNotificationsHint')}</p>
          </EmptyState>
        ) : (
          <ul class="plain-list stack" data-testid="inbox">
            {shown.map((n) => (
              <NotificationItem
                key={n.id}
                n={n}
                onRead={() => void markRead([n.id]).catch(() => toast(t('errorGeneric'), 'error'))}
              />
            ))}
          </ul>
        )}
        {more.next && (
          <p>
            <button
              type="button"
              onClick={() =>
                void api
                  .get<Page<NotificationView>>(
                    `/me/notifications?limit=20&cursor=${more.next}${filter === 'unread' ? '&unread=true' : ''}`,
                  )
                  .then((p) => setMore({ items: [...more.items, ...p.items], next: p.nextCursor }))
                  .catch(() => toast(t('errorGeneric'), 'error'))
              }
            >
              {t('loadMore')}
            </button>
          </p>
        )}
      </div>
    </>
  );
}

function NotificationItem({ n, onRead }: { n: NotificationView; onRead: () => void }) {
  const t = useT();
  const detail = notificationDetail(n, t);
  return (
    <li
      class={`card notification${n.readAt ? '' : ' unread'}`}
      data-notification-id={n.id}
      data-type={n.type}
      data-read={n.readAt ? 'true' : 'false'}
    >
      <p class="notification-text">
        {!n.readAt && <span class="badge status-deliberating">{t('unreadMark')}</span>}{' '}
        <Link href={notificationHref(n)}>{notificationText(n, t)}</Link>
      </p>
      {detail && <p class="muted user-text">{detail}</p>}
      <div class="row">
        <p class="meta">
          <Time iso={n.createdAt} />
        </p>
        {!n.readAt && (
          <button type="button" class="link sm" onClick={onRead}>
            {t('markRead')}
          </button>
        )}
      </div>
    </li>
  );
}

type Settings = NotificationSettings;

/** Each language by its own name, as language pickers show them. */
const EMAIL_LANGUAGES = [
  { value: 'ko', name: '한국어' },
  { value: 'en', name: 'English' },
] as const;

/** `/me/notification-settings`: email cadence, the kinds to hear about, auto-follow. */
export function NotificationSettingsPage() {
  const t = useT();
  const me = useStore(session);
  usePageTitle(t('notificationSettings'));
  const settings = useLoad(
    () => (me ? api.get<Settings>('/me/notification-settings') : Promise.resolve(undefined)),
    [me?.user.id],
  );
  if (!me)
    return <SignInFirst next="/me/notification-settings" title={t('notificationSettings')} />;
  return (
    <>
      <div class="row page-head">
        <h1>{t('notificationSettings')}</h1>
        <Link href="/me/notifications" class="btn btn-sm">
          {t('notifications')}
        </Link>
      </div>
      {settings.error ? (
        <ErrorNote error={settings.error} />
      ) : !settings.data ? (
        <Skeleton lines={6} height="2.5rem" />
      ) : (
        <Form
          label={t('notificationSettings')}
          class="card settings-form"
          onSubmit={async (data) => {
            const email = data.get('email');
            const saved = await api.put<Settings>('/me/notification-settings', {
              email: typeof email === 'string' ? email : settings.data!.email,
              types: Object.fromEntries(
                NOTIFICATION_SWITCHES.map((s) => [s, data.get(`type-${s}`) === 'on']),
              ),
              followOnComment: data.get('followOnComment') === 'on',
              language: data.get('language') === 'en' ? 'en' : 'ko',
            });
            settings.set(saved);
            toast(t('saved'));
          }}
        >
          <div class="field">
            <h2 id="email-h">{t('settingsEmail')}</h2>
            <p class="hint" id="email-hint">
              {t('settingsEmailHint')}
            </p>
            <div
              class="radio-list"
              role="radiogroup"
              aria-labelledby="email-h"
              aria-describedby="email-hint"
            >
              {EMAIL_CADENCES.map((c) => (
                <label key={c}>
                  <input
                    type="radio"
                    name="email"
                    value={c}
                    defaultChecked={settings.data!.email === c}
                  />
                  {t(`email_${c}` as MessageKey)}
                </label>
              ))}
            </div>
          </div>
          <div class="field">
            <h2 id="language-h">{t('settingsLanguage')}</h2>
            <div class="radio-list" role="radiogroup" aria-labelledby="language-h">
              {EMAIL_LANGUAGES.map((l) => (
                <label key={l.value}>
                  <input
                    type="radio"
                    name="language"
                    value={l.value}
                    defaultChecked={settings.data!.language === l.value}
                  />
                  <span lang={l.value}>{l.name}</span>
                </label>
              ))}
            </div>
          </div>
          <div class="field">
            <h2 id="types-h">{t('settingsTypes')}</h2>
            <div class="radio-list" role="group" aria-labelledby="types-h">
              {NOTIFICATION_SWITCHES.map((s) => (
                <label key={s}>
                  <input
                    type="checkbox"
                    name={`type-${s}`}
                    defaultChecked={settings.data!.types[s]}
                  />
                  {t(`type_${s}` as MessageKey)}
                </label>
              ))}
            </div>
          </div>
          <div class="field">
            <h2 id="follow-h">{t('settingsFollow')}</h2>
            <div class="radio-list" role="group" aria-labelledby="follow-h">
              <label>
                <input
                  type="checkbox"
                  name="followOnComment"
                  defaultChecked={settings.data.followOnComment}
                />
                {t('followOnComment')}
              </label>
            </div>
          </div>
          <button type="submit" class="primary">
            {t('saveSettings')}
          </button>
        </Form>
      )}
    </>
  );
}

/**
 * Follow / unfollow a topic or a budget (a toggle button), for signed-in readers of its page.
 * A project is followed through its thread, which is a topic.
 */
export function FollowButton({
  topicId,
  budgetId,
  hint = 'followHint',
}: {
  topicId?: string;
  budgetId?: string;
  hint?: MessageKey;
}) {
  const t = useT();
  const me = useStore(session);
  const path = budgetId ? `/budgets/${budgetId}/follow` : `/topics/${topicId}/follow`;
  const state = useLoad(
    () => (me ? api.get<{ following: boolean }>(path) : Promise.resolve(undefined)),
    [me?.user.id, path],
  );
  if (!me || !state.data) return null;
  const following = state.data.following;
  return (
    <button
      type="button"
      class="sm"
      aria-pressed={following}
      title={t(hint)}
      data-testid="follow"
      onClick={() =>
        void (
          following
            ? api.delete<{ following: boolean }>(path)
            : api.put<{ following: boolean }>(path)
        )
          .then((r) => state.set(r))
          .catch(() => toast(t('errorGeneric'), 'error'))
      }
    >
      {following ? t('following') : t('follow')}
    </button>
  );
}
