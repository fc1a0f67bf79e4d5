import { useState } from 'preact/hooks';
import { type MessageKey, useT } from '../../shared/i18n';
import { useStore } from '../../shared/store';
import { CommentForm, CommentList, type ThreadActions } from '../../shared/thread';
import { useTopicStream } from '../../shared/topic-stream';
import {
  type Comment,
  type Page,
  type Room,
  type Stance,
  type TimelineEntry,
  type Topic,
} from '../../shared/types';
import { ErrorNote, Form, Ladder, StatusBadge, text, Time } from '../../shared/ui';
import { Link } from '../app';
import { announce, announcements, api, live, session, useLoad } from '../context';

const OPEN = new Set(['proposed', 'under_review', 'deliberating']);

export function TopicPage({ id }: { id: string }) {
  const t = useT();
  const me = useStore(session);
  const conn = useStore(live);
  const timeline = useLoad(
    () => api.get<Page<TimelineEntry>>(`/topics/${id}/timeline?limit=100`),
    [id],
  );
  const stream = useTopicStream(api, conn, id, {
    limit: 50,
    onEvent: (event, payload) => {
      if (event === 'comment:new') {
        const c = payload.comment as Comment;
        announce(`${c.author.displayName}: ${c.body ?? ''}`);
      } else if (event === 'comment:hidden') announcements.set('');
      else if (event.startsWith('topic:') && event !== 'topic:room') {
        timeline.reload();
        if (event === 'topic:ladder') announce(`${t('nextRung')}: ${String(payload.rung)}`);
      }
    },
  });
  const { topic: tp, space, comments } = stream;

  if (!tp) return stream.error ? <ErrorNote error={stream.error} /> : <p>{t('loading')}</p>;
  const facilitator = session.facilitates(tp.spaceId);
  const open = OPEN.has(tp.status);
  const actions: ThreadActions = {
    api,
    signedIn: !!me,
    facilitator,
    topicId: tp.id,
    canPost: !!me && open,
    onChange: stream.changeComments,
  };
  const eventLabel = (e: TimelineEntry): string => {
    const label = t(`ev_${e.type}` as MessageKey);
    if (e.type === 'ladder_crossed')
      return `${label}: ${t(`rung_${String(e.data.rung)}` as MessageKey)}`;
    if (e.type === 'transitioned')
      return `${label}: ${t(`status_${String(e.data.from)}` as MessageKey)} → ${t(`status_${String(e.data.to)}` as MessageKey)}`;
    return label;
  };
  const liveRoom = stream.liveRoom;
  return (
    <article class="topic" data-topic-id={tp.id}>
      {liveRoom && (
        <p class="banner live" role="status">
          <span class="badge live-badge">{t('liveNow')}</span>{' '}
          <Link href={`/rooms/${liveRoom.id}`}>{liveRoom.title}</Link>
        </p>
      )}
      {space && (
        <p class="crumbs">
          <Link href={`/spaces/${encodeURIComponent(space.slug)}`}>{space.name}</Link>
        </p>
      )}
      <StatusBadge status={tp.status} />
      <h1>{tp.title}</h1>
      <p class="meta">
        {tp.author.displayName} · <Time iso={tp.createdAt} /> · {t('participants')}{' '}
        {tp.counts.participants}
      </p>
      <div class="topic-body">{tp.body}</div>
      <div class="agree-bar">
        <button
          type="button"
          class="agree-topic primary"
          aria-pressed={!!tp.myAgree}
          disabled={!me || !open}
          onClick={() => void stream.toggleAgree()}
        >
          {tp.myAgree ? t('agreed') : t('agree')}{' '}
          <span class="count" data-testid="topic-agrees">
            {tp.counts.agrees}
          </span>
        </button>
        <Ladder topic={tp} space={space} />
      </div>
      {tp.status === 'rejected' && tp.rejectedReason && (
        <p class="notice">
          {t('status_rejected')}: {tp.rejectedReason}
        </p>
      )}
      {tp.status === 'deliberating' && (
        <StanceControl
          topic={tp}
          onChange={(myStance) => stream.setTopic((prev) => prev && { ...prev, myStance })}
        />
      )}
      {tp.response && (
        <section class="response" aria-labelledby="response">
          <h2 id="response">{t('response')}</h2>
          <p class="meta">
            {tp.response.author.displayName} ({tp.response.role}) ·{' '}
            <Time iso={tp.response.createdAt} />
          </p>
          <div class="topic-body">{tp.response.body}</div>
        </section>
      )}
      {facilitator && <FacilitatorTools topic={tp} onDone={stream.reread} />}
      <section aria-labelledby="discussion">
        <h2 id="discussion">
          {t('discussion')} ({tp.counts.comments})
        </h2>
        {actions.canPost && <CommentForm actions={actions} label={t('writeComment')} />}
        {!me && (
          <p>
            <Link href={`/signin?next=/topics/${tp.id}`}>{t('signInToTake')}</Link>
          </p>
        )}
        {comments ? <CommentList comments={comments} actions={actions} /> : <p>{t('loading')}</p>}
        {stream.loadMore && (
          <button type="button" onClick={stream.loadMore}>
            {t('loadMore')}
          </button>
        )}
      </section>
      <section aria-labelledby="timeline">
        <h2 id="timeline">{t('timeline')}</h2>
        <ol class="timeline">
          {timeline.data?.items.map((e) => (
            <li key={e.seq} data-type={e.type}>
              <Time iso={e.createdAt} /> — <span class="event-type">{eventLabel(e)}</span>
              {e.actor && <> · {e.actor.displayName}</>}
              {typeof e.data.reason === 'string' && <> · {e.data.reason}</>}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}

function StanceControl({ topic, onChange }: { topic: Topic; onChange: (s: Stance) => void }) {
  const t = useT();
  const me = useStore(session);
  const s = topic.counts.stances;
  return (
    <fieldset class="stance" disabled={!me}>
      <legend>{t('stance')}</legend>
      {(['for', 'against', 'neutral'] as const).map((stance) => (
        <label key={stance}>
          <input
            type="radio"
            name="stance"
            value={stance}
            checked={topic.myStance === stance}
            onChange={() =>
              void api.put(`/topics/${topic.id}/stance`, { stance }).then(() => onChange(stance))
            }
          />
          {t(`stance_${stance}`)} ({s[stance]})
        </label>
      ))}
    </fieldset>
  );
}

function FacilitatorTools({ topic, onDone }: { topic: Topic; onDone: () => void }) {
  const t = useT();
  const [error, setError] = useState<unknown>(null);
  const move = (to: 'deliberating' | 'closed' | 'rejected') => {
    const reason = window.prompt(t('reason')) ?? undefined;
    api
      .post(`/topics/${topic.id}/transitions`, { to, ...(reason ? { reason } : {}) })
      .then(onDone, setError);
  };
  return (
    <section class="facilitator" aria-labelledby="facilitator-tools">
      <h2 id="facilitator-tools">{t('transitions')}</h2>
      <div class="toolbar">
        <button type="button" onClick={() => move('deliberating')}>
          {t('openDeliberation')}
        </button>
        <button type="button" onClick={() => move('closed')}>
          {t('close')}
        </button>
        <button type="button" onClick={() => move('rejected')}>
          {t('reject')}
        </button>
      </div>
      <ErrorNote error={error} />
      <Form
        label={t('createRoom')}
        onSubmit={async (data) => {
          const room = await api.post<Room>(`/topics/${topic.id}/rooms`, {
            title: text(data, 'title'),
          });
          window.location.assign(`/rooms/${room.id}/console`);
        }}
      >
        <label for="room-title">{t('createRoom')}</label>
        <input id="room-title" name="title" required maxLength={200} />
        <button type="submit">{t('createRoom')}</button>
      </Form>
      <Form
        label={t('respond')}
        onSubmit={async (data) => {
          await api.post(`/topics/${topic.id}/response`, { body: text(data, 'body') });
          onDone();
        }}
      >
        <label for="response-body">{t('respond')}</label>
        <textarea id="response-body" name="body" required rows={4} />
        <button type="submit">{t('respond')}</button>
      </Form>
    </section>
  );
}
