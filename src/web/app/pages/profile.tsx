import { useState } from 'preact/hooks';
import { useT } from '../../shared/i18n';
import { useStore } from '../../shared/store';
import { CommentBody } from '../../shared/thread';
import { type Comment, type Me, type Page, type Topic } from '../../shared/types';
import {
  EmptyState,
  ErrorNote,
  Form,
  raw,
  Skeleton,
  Tabs,
  text,
  Time,
  toast,
  usePageTitle,
} from '../../shared/ui';
import { Link } from '../app';
import { api, session, useLoad } from '../context';
import { TopicCard } from './home';

type Tab = 'topics' | 'comments' | 'agrees' | 'account';

/** `/me`: what I proposed, what I wrote, what I agree with, and my account. */
export function ProfilePage() {
  const t = useT();
  const me = useStore(session);
  const [tab, setTab] = useState<Tab>('topics');
  usePageTitle(t('me'));
  if (!me)
    return (
      <EmptyState icon="🔐" title={t('me')} headingLevel={2}>
        <p>
          <Link href="/signin?next=/me" class="btn btn-primary">
            {t('signIn')}
          </Link>
        </p>
      </EmptyState>
    );
  return (
    <>
      <h1>{t('me')}</h1>
      <p class="muted">
        {me.user.displayName} · {me.user.email}
      </p>
      <Tabs<Tab>
        label={t('me')}
        selected={tab}
        onSelect={setTab}
        tabs={[
          { key: 'topics', label: t('myTopics') },
          { key: 'comments', label: t('myComments') },
          { key: 'agrees', label: t('myAgrees') },
          { key: 'account', label: t('account') },
        ]}
      />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'topics' && <TopicsTab path="/me/topics" />}
        {tab === 'agrees' && <TopicsTab path="/me/agrees" />}
        {tab === 'comments' && <CommentsTab />}
        {tab === 'account' && <AccountTab user={me.user} />}
      </div>
    </>
  );
}

function TopicsTab({ path }: { path: string }) {
  const t = useT();
  const page = useLoad(() => api.get<Page<Topic>>(`${path}?limit=50`), [path]);
  if (page.error) return <ErrorNote error={page.error} />;
  if (!page.data) return <Skeleton lines={3} height="4rem" />;
  if (page.data.items.length === 0) return <EmptyState icon="🌱" title={t('noItems')} />;
  return (
    <ul class="grid plain-list">
      {page.data.items.map((topic) => (
        <TopicCard key={topic.id} topic={topic} />
      ))}
    </ul>
  );
}

function CommentsTab() {
  const t = useT();
  const page = useLoad(
    () =>
      api.get<Page<Comment & { topic: { id: string; title: string } }>>('/me/comments?limit=50'),
    [],
  );
  if (page.error) return <ErrorNote error={page.error} />;
  if (!page.data) return <Skeleton lines={3} height="3rem" />;
  if (page.data.items.length === 0) return <EmptyState icon="💬" title={t('noItems')} />;
  return (
    <ul class="plain-list stack">
      {page.data.items.map((c) => (
        <li key={c.id} class="card" data-comment-id={c.id} data-status={c.status}>
          <p class="meta">
            <Link href={`/topics/${c.topic.id}`}>{t('inTopic', { title: c.topic.title })}</Link>
            <Time iso={c.createdAt} />
            <span>{t('agreesN', { n: c.agreeCount })}</span>
          </p>
          <CommentBody comment={c} facilitator />
        </li>
      ))}
    </ul>
  );
}

function AccountTab({ user }: { user: Me }) {
  const t = useT();
  return (
    <div class="grid">
      <section class="card" aria-labelledby="name-h">
        <h2 id="name-h">{t('displayName')}</h2>
        <Form
          label={t('saveName')}
          onSubmit={async (data) => {
            const updated = await api.patch<Me>('/me', { displayName: text(data, 'displayName') });
            const current = session.get();
            if (current) session.set({ ...current, user: updated });
            toast(t('saved'));
          }}
        >
          <label for="me-name">{t('displayName')}</label>
          <input
            id="me-name"
            name="displayName"
            required
            maxLength={50}
            defaultValue={user.displayName}
          />
          <button type="submit" class="primary">
            {t('saveName')}
          </button>
        </Form>
      </section>
      <section class="card" aria-labelledby="password-h">
        <h2 id="password-h">{t('changePassword')}</h2>
        <Form
          label={t('changePassword')}
          onSubmit={async (data, form) => {
            const res = await api.put<{ accessToken: string }>('/me/password', {
              currentPassword: raw(data, 'currentPassword'),
              newPassword: raw(data, 'newPassword'),
            });
            await session.adopt(res.accessToken);
            form.reset();
            toast(t('passwordChanged'));
          }}
        >
          <label for="current-password">{t('currentPassword')}</label>
          <input
            id="current-password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
          />
          <label for="new-password">{t('newPassword')}</label>
          <input
            id="new-password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
          />
          <button type="submit" class="primary">
            {t('changePassword')}
          </button>
        </Form>
      </section>
    </div>
  );
}
