import { useEffect, useState } from 'preact/hooks';
import { query } from '../../shared/api';
import { type MessageKey, useT } from '../../shared/i18n';
import { useStore } from '../../shared/store';
import { type Page, type Space, type Topic, TOPIC_STATUSES } from '../../shared/types';
import { Dialog, EmptyState, ErrorNote, Form, Skeleton, text, usePageTitle } from '../../shared/ui';
import { Link } from '../app';
import { api, session, useLoad } from '../context';
import { navigate } from '../router';
import { SpaceBudgets } from './budget';
import { TopicCard } from './home';

export function SpacePage({ slug }: { slug: string }) {
  const t = useT();
  const signedIn = !!useStore(session);
  const [status, setStatus] = useState('');
  const [sort, setSort] = useState('recent');
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [proposing, setProposing] = useState(false);
  // Search as one types, a moment after the last key (no Enter needed).
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const space = useLoad(() => api.get<Space>(`/spaces/${encodeURIComponent(slug)}`), [slug]);
  const topics = useLoad(
    () =>
      space.data
        ? api.get<Page<Topic>>(
            `/topics${query({ spaceId: space.data.id, status, sort, q, limit: 50 })}`,
          )
        : Promise.resolve(undefined),
    [space.data?.id, status, sort, q],
  );
  usePageTitle(space.data?.name);
  if (space.error) return <ErrorNote error={space.error} />;
  if (!space.data) return <Skeleton lines={4} height="2rem" />;
  const s = space.data;
  const items = topics.data?.items;
  return (
    <>
      <p class="crumbs">
        <Link href="/">{t('home')}</Link>
      </p>
      <section class="hero">
        <h1>{s.name}</h1>
        {s.description && <p class="lead">{s.description}</p>}
        <p>{t('proposeIntro', { n: s.thresholds.review })}</p>
        {session.facilitates(s.id) && (
          <p>
            <Link href={`/spaces/${s.slug}/manage`} class="btn btn-sm">
              {t('bo_manageLink')}
            </Link>
          </p>
        )}
        {signedIn ? (
          <button type="button" class="primary" onClick={() => setProposing(true)}>
            ✍️ {t('openPropose')}
          </button>
        ) : (
          <Link
            class="btn btn-primary"
            href={`/signin?next=${encodeURIComponent(`/spaces/${slug}`)}`}
          >
            {t('signInToTake')}
          </Link>
        )}
      </section>
      {proposing && (
        <Dialog title={t('propose')} onClose={() => setProposing(false)} id="propose">
          <Form
            label={t('propose')}
            onSubmit={async (data) => {
              const tags = text(data, 'tags')
                .split(',')
                .map((x) => x.trim())
                .filter(Boolean);
              const topic = await api.post<Topic>(`/spaces/${s.id}/topics`, {
                title: text(data, 'title'),
                body: text(data, 'body'),
                ...(tags.length ? { tags } : {}),
              });
              setProposing(false);
              navigate(`/topics/${topic.id}`);
            }}
          >
            <label for="topic-title">{t('title')}</label>
            <input id="topic-title" name="title" required minLength={5} maxLength={200} />
            <label for="topic-body">{t('body')}</label>
            <textarea id="topic-body" name="body" required rows={6} maxLength={20000} />
            <label for="topic-tags">{t('tags')}</label>
            <input id="topic-tags" name="tags" maxLength={330} />
            <div class="modal-actions">
              <button type="button" onClick={() => setProposing(false)}>
                {t('cancel')}
              </button>
              <button type="submit" class="primary">
                {t('submit')}
              </button>
            </div>
          </Form>
        </Dialog>
      )}
      <SpaceBudgets spaceId={s.id} />
      <section class="section" aria-labelledby="topics-h">
        <div class="section-head">
          <h2 id="topics-h">{t('topics')}</h2>
        </div>
        <div class="toolbar" role="search">
          <div class="search">
            <label for="topic-search" class="sr-only">
              {t('search')}
            </label>
            <input
              id="topic-search"
              type="search"
              value={typed}
              placeholder={t('searchPlaceholder')}
              onInput={(e) => setTyped(e.currentTarget.value)}
            />
          </div>
          <label for="status-filter" class="sr-only">
            {t('statusLabel')}
          </label>
          <select
            id="status-filter"
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value)}
          >
            <option value="">{t('allStatuses')}</option>
            {TOPIC_STATUSES.map((st) => (
              <option key={st} value={st}>
                {t(`status_${st}` as MessageKey)}
              </option>
            ))}
          </select>
          <label for="sort-filter" class="sr-only">
            {t('sortLabel')}
          </label>
          <select id="sort-filter" value={sort} onChange={(e) => setSort(e.currentTarget.value)}>
            <option value="recent">{t('sortRecent')}</option>
            <option value="agrees">{t('sortAgrees')}</option>
            <option value="active">{t('sortActive')}</option>
            <option value="near">{t('sortNear')}</option>
          </select>
        </div>
        <ErrorNote error={topics.error} />
        {!items && !topics.error && <Skeleton lines={3} height="5rem" />}
        {items && items.length === 0 && (
          <EmptyState icon={q ? '🔎' : '🌱'} title={q ? t('noResults', { q }) : t('noTopics')}>
            {!q && <p>{t('noTopicsHint')}</p>}
          </EmptyState>
        )}
        <ul class="grid plain-list topic-list" aria-label={t('topics')}>
          {items?.map((topic) => (
            <TopicCard key={topic.id} topic={topic} space={s} />
          ))}
        </ul>
      </section>
    </>
  );
}
