import { useState } from 'preact/hooks';
import { query } from '../../shared/api';
import { type MessageKey, useT } from '../../shared/i18n';
import { useStore } from '../../shared/store';
import { type Page, type Space, type Topic, TOPIC_STATUSES } from '../../shared/types';
import { ErrorNote, Form, Ladder, StatusBadge, text } from '../../shared/ui';
import { Link } from '../app';
import { api, session, useLoad } from '../context';
import { navigate } from '../router';

export function SpacePage({ slug }: { slug: string }) {
  const t = useT();
  const signedIn = !!useStore(session);
  const [status, setStatus] = useState('');
  const [sort, setSort] = useState('recent');
  const [q, setQ] = useState('');
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
  if (space.error) return <ErrorNote error={space.error} />;
  if (!space.data) return <p>{t('loading')}</p>;
  const s = space.data;
  return (
    <>
      <h1>{s.name}</h1>
      {s.description && <p class="lead">{s.description}</p>}
      <div class="toolbar" role="search">
        <label>
          {t('search')}{' '}
          <input type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} />
        </label>
        <label>
          <span class="sr-only">{t('allStatuses')}</span>
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">{t('allStatuses')}</option>
            {TOPIC_STATUSES.map((st) => (
              <option key={st} value={st}>
                {t(`status_${st}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span class="sr-only">sort</span>
          <select value={sort} onChange={(e) => setSort(e.currentTarget.value)}>
            <option value="recent">{t('sortRecent')}</option>
            <option value="agrees">{t('sortAgrees')}</option>
            <option value="active">{t('sortActive')}</option>
          </select>
        </label>
      </div>
      <ErrorNote error={topics.error} />
      <ul class="topic-list" aria-label={t('topics')}>
        {topics.data?.items.map((topic) => (
          <li key={topic.id} class="card topic-card" data-topic-id={topic.id}>
            <StatusBadge status={topic.status} />
            <h2>
              <Link href={`/topics/${topic.id}`}>{topic.title}</Link>
            </h2>
            <p class="meta">
              {topic.author.displayName} · {t('agrees')} {topic.counts.agrees} · {t('comments')}{' '}
              {topic.counts.comments}
            </p>
            <Ladder topic={topic} space={s} />
          </li>
        ))}
      </ul>
      {signedIn ? (
        <section aria-labelledby="propose">
          <h2 id="propose">{t('propose')}</h2>
          <Form
            label={t('propose')}
            onSubmit={async (data) => {
              const topic = await api.post<Topic>(`/spaces/${s.id}/topics`, {
                title: text(data, 'title'),
                body: text(data, 'body'),
              });
              navigate(`/topics/${topic.id}`);
            }}
          >
            <label for="topic-title">{t('title')}</label>
            <input id="topic-title" name="title" required minLength={5} maxLength={200} />
            <label for="topic-body">{t('body')}</label>
            <textarea id="topic-body" name="body" required rows={6} maxLength={20000} />
            <button type="submit">{t('submit')}</button>
          </Form>
        </section>
      ) : (
        <p>
          <Link href={`/signin?next=/spaces/${encodeURIComponent(slug)}`}>{t('signInToTake')}</Link>
        </p>
      )}
    </>
  );
}
