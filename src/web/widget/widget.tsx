import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useT } from '../shared/i18n';
import { LiveConnection } from '../shared/live';
import { useRoomStream } from '../shared/room-state';
import { SessionStore } from '../shared/session';
import { useStore } from '../shared/store';
import { CommentForm, CommentList, type ThreadActions } from '../shared/thread';
import { useTopicStream } from '../shared/topic-stream';
import { type Space } from '../shared/types';
import {
  ConnectionBadge,
  ErrorNote,
  Ladder,
  LineForm,
  LiveBadge,
  StatusBadge,
  StreamPlayer,
  Time,
} from '../shared/ui';
import { isTokenMessage, RESIZE_MESSAGE } from './messages';

/** The embedding page's origin as the loader declared it; trusted only once checked. */
const params = new URLSearchParams(window.location.search);
const declaredHost = params.get('origin');
const frameId = params.get('frame') ?? '';

/**
 * The host may receive resize messages only if it is one of the space's embed origins and,
 * where the browser tells us (ancestorOrigins), really is the page framing us.
 */
function verifiedHost(space: Space | undefined): string | null {
  if (!space || !declaredHost || !space.embedOrigins.includes(declaredHost)) return null;
  const ancestors = (window.location as Location & { ancestorOrigins?: DOMStringList })
    .ancestorOrigins;
  if (ancestors && ancestors.length > 0 && ancestors[0] !== declaredHost) return null;
  return declaredHost;
}

/** Keeps the iframe as tall as its content, growing and shrinking, via the loader. */
function useAutoResize(host: string | null): void {
  useEffect(() => {
    if (!host || window.parent === window) return;
    let last = 0;
    const send = () => {
      const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      window.parent.postMessage({ type: RESIZE_MESSAGE, frame: frameId, height }, host);
    };
    const observer = new ResizeObserver(send);
    observer.observe(document.body);
    send();
    return () => observer.disconnect();
  }, [host]);
}

/** Sign-in through a popup on this origin; the token arrives by postMessage, checked. */
function useSignInPopup(session: SessionStore): () => void {
  const popup = useRef<Window | null>(null);
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== window.location.origin) return;
      if (!popup.current || event.source !== popup.current) return;
      if (!isTokenMessage(event.data)) return;
      void session.adopt(event.data.token).catch(() => undefined);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [session]);
  return () => {
    popup.current = window.open('/embed/signin', 'madang-signin', 'width=440,height=560');
  };
}

export function Widget({ kind, id }: { kind: 'topic' | 'room'; id: string }) {
  const t = useT();
  // Memory only: no cookie and no storage is needed, so blocked third-party storage is fine.
  const session = useMemo(() => new SessionStore(null), []);
  const me = useStore(session);
  const conn = useMemo(
    () => new LiveConnection(me?.token ?? null, declaredHost ?? undefined),
    [me?.token],
  );
  useEffect(() => () => conn.close(), [conn]);
  const state = useStore(conn.state);
  const [space, setSpace] = useState<Space | undefined>(undefined);
  const host = verifiedHost(space);
  useAutoResize(host);
  const openSignIn = useSignInPopup(session);
  return (
    <main>
      <div class="toolbar">
        <ConnectionBadge state={state} />
        {me ? (
          <span data-testid="whoami">{me.user.displayName}</span>
        ) : (
          <button type="button" class="link" onClick={openSignIn}>
            {t('signIn')}
          </button>
        )}
        <a
          href={kind === 'topic' ? `/topics/${id}` : `/rooms/${id}`}
          target="_blank"
          rel="noopener"
        >
          {t('openInMadang')}
        </a>
      </div>
      {kind === 'topic' ? (
        <TopicWidget id={id} session={session} conn={conn} onSpace={setSpace} />
      ) : (
        <RoomWidget id={id} session={session} conn={conn} onSpace={setSpace} />
      )}
    </main>
  );
}

interface PartProps {
  id: string;
  session: SessionStore;
  conn: LiveConnection;
  onSpace: (space: Space) => void;
}

function TopicWidget({ id, session, conn, onSpace }: PartProps) {
  const t = useT();
  const me = useStore(session);
  const { topic, space, comments, liveRoom, error, ...stream } = useTopicStream(
    session.api,
    conn,
    id,
    { limit: 30 },
  );
  useEffect(() => {
    if (space) onSpace(space);
  }, [space]);

  if (!topic || !comments) return error ? <ErrorNote error={error} /> : <p>{t('loading')}</p>;
  const open = ['proposed', 'under_review', 'deliberating'].includes(topic.status);
  const actions: ThreadActions = {
    api: session.api,
    signedIn: !!me,
    meId: me?.user.id,
    facilitator: false,
    omitHidden: true,
    topicId: id,
    canPost: !!me && open,
    onChange: stream.changeComments,
  };
  return (
    <article data-topic-id={id}>
      {liveRoom && (
        <p class="banner live" role="status" data-testid="live-banner">
          <LiveBadge />{' '}
          <a href={`/rooms/${liveRoom.id}`} target="_blank" rel="noopener">
            {liveRoom.title}
          </a>
        </p>
      )}
      <StatusBadge status={topic.status} />
      <h1>{topic.title}</h1>
      <div class="agree-bar">
        <button
          type="button"
          class="agree-topic primary"
          disabled={!me || !open}
          aria-pressed={!!topic.myAgree}
          onClick={() => void stream.toggleAgree()}
        >
          👍 {topic.myAgree ? t('agreed') : t('agree')}{' '}
          <span class="count" data-testid="topic-agrees">
            {topic.counts.agrees}
          </span>
        </button>
        <Ladder topic={topic} space={space} />
      </div>
      {actions.canPost && <CommentForm actions={actions} label={t('embedPost')} />}
      <CommentList comments={comments} actions={actions} />
      <div class="sr-only" aria-live="polite" role="log">
        {comments.length > 0 ? `${comments[comments.length - 1]?.author.displayName ?? ''}` : ''}
      </div>
    </article>
  );
}

function RoomWidget({ id, session, conn, onSpace }: PartProps) {
  const t = useT();
  const me = useStore(session);
  const { state, error } = useRoomStream(conn, id);
  const spaceId = state?.room.spaceId;
  useEffect(() => {
    if (spaceId) void session.api.get<Space>(`/spaces/${spaceId}`).then(onSpace, () => undefined);
  }, [spaceId]);

  if (!state) return error ? <ErrorNote error={error} /> : <p>{t('loading')}</p>;
  const live = state.room.status === 'live';
  return (
    <article data-room-id={id}>
      {live && (
        <p class="banner live" role="status" data-testid="live-banner">
          <LiveBadge /> · {state.presence} {t('presence')}
        </p>
      )}
      <h1>{state.room.title}</h1>
      {state.room.status === 'ended' && <p class="banner">{t('roomEnded')}</p>}
      {state.room.settings.streamUrl && (
        <StreamPlayer
          url={state.room.settings.streamUrl}
          title={`${t('streamTitle')}: ${state.room.title}`}
        />
      )}
      <ol class="messages" aria-live="polite" aria-label={t('chat')}>
        {state.messages
          .filter((m) => m.status === 'visible')
          .map((m) => (
            <li key={m.id} class="message" data-comment-id={m.id}>
              <div class="msg-head">
                <strong class="author">{m.author.displayName}</strong>
                <Time iso={m.createdAt} style="time" />
              </div>
              <span class="comment-body user-text">{m.body}</span>
            </li>
          ))}
      </ol>
      {me && live && (
        <LineForm
          id="chat-body"
          label={t('message')}
          button={t('send')}
          maxLength={2000}
          onSend={(body) => conn.request('chat:send', { roomId: id, body })}
        />
      )}
    </article>
  );
}
