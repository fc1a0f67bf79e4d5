import { useT } from '../../shared/i18n';
import { type Page, type Room, type Space, type Topic } from '../../shared/types';
import {
  EmptyState,
  ErrorNote,
  Ladder,
  LiveBadge,
  Skeleton,
  StatusBadge,
  Time,
  usePageTitle,
} from '../../shared/ui';
import { Link } from '../app';
import { api, useLoad } from '../context';

/** A topic in a list: status, title, counts, and where it stands on its ladder. */
export function TopicCard({ topic, space }: { topic: Topic; space?: Space | undefined }) {
  const t = useT();
  return (
    <li class="card topic-card" data-topic-id={topic.id}>
      <div class="row">
        <StatusBadge status={topic.status} />
        {topic.tags.map((tag) => (
          <span key={tag} class="chip">
            #{tag}
          </span>
        ))}
      </div>
      <h3 class="card-title">
        <Link href={`/topics/${topic.id}`}>{topic.title}</Link>
      </h3>
      <p class="meta">
        <span>{topic.author.displayName}</span>
        <Time iso={topic.createdAt} />
        <span>{t('agreesN', { n: topic.counts.agrees })}</span>
        <span>{t('commentsN', { n: topic.counts.comments })}</span>
      </p>
      <Ladder topic={topic} space={space} />
    </li>
  );
}

export function HomePage() {
  const t = useT();
  usePageTitle(undefined);
  const spaces = useLoad(() => api.get<Page<Space>>('/spaces?limit=100'), []);
  const rooms = useLoad(() => api.get<Page<Room>>('/rooms?status=live&limit=12'), []);
  const near = useLoad(() => api.get<Page<Topic>>('/topics?sort=near&limit=6'), []);
  const answered = useLoad(
    () => api.get<Page<Topic>>('/topics?status=answered&sort=active&limit=4'),
    [],
  );
  const spaceById = new Map(spaces.data?.items.map((s) => [s.id, s]));
  const noSpaces = spaces.data && spaces.data.items.length === 0;
  return (
    <>
      <section class="hero">
        <h1>{t('appName')}</h1>
        <p class="lead">{t('tagline')}</p>
      </section>
      {!!rooms.data?.items.length && (
        <section class="section" aria-labelledby="live-rooms">
          <div class="section-head">
            <h2 id="live-rooms">{t('onAir')}</h2>
          </div>
          <ul class="grid plain-list">
            {rooms.data.items.map((room) => (
              <li key={room.id} class="card" data-room-id={room.id}>
                <div class="row between">
                  <LiveBadge />
                  <span class="muted small" data-testid="room-presence">
                    {t('peopleHere', { n: room.presence ?? 0 })}
                  </span>
                </div>
                <h3 class="card-title">
                  <Link href={`/rooms/${room.id}`}>{room.title}</Link>
                </h3>
                {spaceById.get(room.spaceId) && (
                  <p class="muted small">{spaceById.get(room.spaceId)!.name}</p>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {!!near.data?.items.length && (
        <section class="section" aria-labelledby="near-rung">
          <div class="section-head">
            <h2 id="near-rung">{t('nearRung')}</h2>
          </div>
          <ul class="grid plain-list">
            {near.data.items.map((topic) => (
              <TopicCard key={topic.id} topic={topic} space={spaceById.get(topic.spaceId)} />
            ))}
          </ul>
        </section>
      )}
      {!!answered.data?.items.length && (
        <section class="section" aria-labelledby="just-answered">
          <div class="section-head">
            <h2 id="just-answered">{t('justAnswered')}</h2>
          </div>
          <ul class="grid plain-list">
            {answered.data.items.map((topic) => (
              <TopicCard key={topic.id} topic={topic} space={spaceById.get(topic.spaceId)} />
            ))}
          </ul>
        </section>
      )}
      <section class="section" aria-labelledby="spaces">
        <div class="section-head">
          <h2 id="spaces">{t('spaces')}</h2>
        </div>
        <ErrorNote error={spaces.error} />
        {!spaces.data && !spaces.error && <Skeleton lines={3} height="4rem" />}
        {noSpaces && (
          <EmptyState icon="🏛️" title={t('noSpaces')}>
            <p>{t('noSpacesHint')}</p>
          </EmptyState>
        )}
        <ul class="grid plain-list">
          {spaces.data?.items.map((space) => (
            <li key={space.id} class="card" data-space={space.slug}>
              <h3 class="card-title">
                <Link href={`/spaces/${encodeURIComponent(space.slug)}`}>{space.name}</Link>
              </h3>
              {space.description && <p class="muted small">{space.description}</p>}
              {space.counts && (
                <p class="counts" data-testid="space-counts">
                  <span>{t('topicsCount', { n: space.counts.topics })}</span>
                  <span>{t('openCount', { n: space.counts.open })}</span>
                  {space.counts.live > 0 && <span>{t('liveCount', { n: space.counts.live })}</span>}
                </p>
              )}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
