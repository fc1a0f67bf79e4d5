import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../shared/api';
import { useT } from '../../shared/i18n';
import { useStore } from '../../shared/store';
import { CommentBody, ReportDialog } from '../../shared/thread';
import { type Comment, type Question, REACTIONS } from '../../shared/types';
import { liveEvent, type RoomAsk } from '../../shared/live';
import {
  confirmAction,
  ErrorNote,
  LineForm,
  LiveBadge,
  Skeleton,
  StreamPlayer,
  Time,
  usePageTitle,
} from '../../shared/ui';
import { Link } from '../app';
import { announce, announcements, api, live, session } from '../context';
import { roomEvent, type RoomState, useRoomStream } from '../../shared/room-state';
import { AssemblyPanels } from './assembly';
import { ModerationPanels, muteMinutes } from './console';

/** The live room: chat, reactions, Q&A, the speaking queue and presence, kept live. */
export function RoomPage({ id, console: asConsole = false }: { id: string; console?: boolean }) {
  const t = useT();
  const me = useStore(session);
  const conn = useStore(live);
  const { state, setState, error } = useRoomStream(conn, id, (event, payload) => {
    const e = liveEvent(event, payload);
    if (e.event === 'comment:new') {
      const c = e.payload.comment;
      if (c) announce(`${t('newMessage')} — ${c.author.displayName}: ${c.body ?? ''}`);
    } else if (e.event === 'room:announce') announce(`${t('announcement')}: ${e.payload.body}`);
    // A hidden message must not linger in the screen-reader log either.
    else if (e.event === 'comment:hidden') announcements.set('');
  });
  const [actionError, setActionError] = useState<unknown>(null);
  // The console's reason field, given with every hide, mute and ban.
  const [reason, setReason] = useState(DEFAULT_REASON);

  usePageTitle(state ? `${asConsole ? `${t('console')} — ` : ''}${state.room.title}` : undefined);
  if (error && !state) return <ErrorNote error={error} />;
  if (!state) return <Skeleton lines={5} height="2.5rem" />;
  const { room } = state;
  const ask: RoomAsk = (event, ...[payload]) =>
    conn
      // The spread adds back the one field the payload's type leaves out.
      .request(event, { roomId: id, ...payload })
      .catch((e: unknown) => {
        setActionError(e);
        throw e;
      });
  const myId = me?.user.id;
  const inQueue = !!state.queue.waiting.some((w) => w.userId === myId);
  const isLive = room.status === 'live';
  const ended = room.status === 'ended';
  const streamUrl = room.settings.streamUrl;
  return (
    <div class={`room${asConsole ? ' console' : ''}`} data-room-id={id} data-status={room.status}>
      <header class="room-head">
        <p class="crumbs">
          <Link href={`/topics/${room.topicId}`}>← {t('discussion')}</Link>
        </p>
        <div class="row">
          {isLive ? (
            <LiveBadge />
          ) : (
            <span class="badge" data-testid="room-status">
              {ended ? t('roomEnded') : t('roomScheduled')}
            </span>
          )}
          {isLive && (
            <span class="muted small">
              <span data-testid="presence">{state.presence}</span> {t('presence')}
            </span>
          )}
          {state.moderator && !asConsole && !ended && (
            <Link href={`/rooms/${id}/console`} class="btn btn-sm">
              {t('console')}
            </Link>
          )}
          {asConsole && (
            <Link href={`/rooms/${id}`} class="btn btn-sm">
              {t('room')}
            </Link>
          )}
        </div>
        <h1 style={{ marginTop: '0.5rem' }}>
          {asConsole ? `${t('console')} — ` : ''}
          {room.title}
        </h1>
      </header>
      <ErrorNote error={actionError ?? error} />
      {ended && (
        <p class="banner" role="status" data-testid="ended-note">
          {t('roomEndedNote')}{' '}
          <Link href={`/rooms/${id}/minutes`} class="btn btn-primary btn-sm">
            {t('viewMinutes')}
          </Link>
        </p>
      )}
      {state.banned && (
        <p class="error" role="alert">
          {t('banned')}
        </p>
      )}
      {state.mutedUntil && new Date(state.mutedUntil) > new Date() && (
        <p class="notice" role="status">
          {t('mutedUntil')} (<Time iso={state.mutedUntil} style="time" />)
        </p>
      )}
      {!ended &&
        state.announcements.map((a) => (
          <p class="banner announce" role="status" key={a.at}>
            📢 {t('announcement')}: {a.body}
          </p>
        ))}
      {state.pinned && !ended && (
        <p class="banner pinned">
          📌 {state.pinned.author.displayName}: {state.pinned.body}
        </p>
      )}
      {asConsole && state.moderator && (
        <ModerationPanels id={id} state={state} ask={ask} reason={reason} onReason={setReason} />
      )}
      {/* A room attached to a budget is its assembly hall: the countdown and the tally. */}
      <AssemblyPanels roomId={id} spaceId={room.spaceId} />
      <div class="room-grid">
        <div class="stack">
          {streamUrl && (
            <StreamPlayer url={streamUrl} title={`${t('streamTitle')}: ${room.title}`} />
          )}
          <section class="chat" aria-labelledby="chat-h">
            <h2 id="chat-h">{t('chat')}</h2>
            {state.messages.length === 0 && <p class="muted">{t('chatEmpty')}</p>}
            <ol class="messages" aria-label={t('chat')}>
              {state.messages
                // Hidden messages leave the room for participants; facilitators see them marked.
                .filter((m) => asConsole || m.status !== 'hidden')
                .map((m) => (
                  <Message
                    key={m.id}
                    message={m}
                    console={asConsole}
                    ask={ask}
                    facilitator={state.moderator}
                    live={isLive}
                    reason={reason || t('hidden')}
                  />
                ))}
            </ol>
            {me && isLive && (
              <LineForm
                id="chat-body"
                label={t('message')}
                button={t('send')}
                maxLength={2000}
                onSend={(body) =>
                  conn
                    .request('chat:send', { roomId: id, body })
                    .then(({ comment }) =>
                      setState((s) => s && roomEvent(s, 'comment:new', { comment })),
                    )
                }
              />
            )}
            {!me && !ended && (
              <p>
                <Link href={`/signin?next=/rooms/${id}`}>{t('signInToTake')}</Link>
              </p>
            )}
          </section>
        </div>
        <aside class="side stack">
          {isLive && (
            <section aria-labelledby="reactions-h" class="card">
              <h2 id="reactions-h">{t('reactions')}</h2>
              <div class="reactions">
                {REACTIONS.map((emoji) => (
                  <button
                    key={emoji}
                    type="button"
                    class="reaction"
                    disabled={!me}
                    aria-label={`${emoji} ${state.reactions[emoji] ?? 0}`}
                    onClick={() => void ask('react', { emoji }).catch(() => undefined)}
                  >
                    {emoji}{' '}
                    <span class="count" data-emoji={emoji}>
                      {state.reactions[emoji] ?? 0}
                    </span>
                  </button>
                ))}
              </div>
            </section>
          )}
          {isLive && <Speaker state={state} />}
          {me && isLive && (
            <button
              type="button"
              class="hand"
              aria-pressed={inQueue}
              onClick={() => void ask(inQueue ? 'hand:lower' : 'hand:raise').catch(() => undefined)}
            >
              ✋ {inQueue ? t('lowerHand') : t('raiseHand')}
            </button>
          )}
          <Questions state={state} ask={ask} console={asConsole} />
        </aside>
      </div>
    </div>
  );
}

const DEFAULT_REASON = '운영 원칙 위반';

/** What a participant or facilitator does to one question. */
type QuestionAction =
  | 'question:upvote'
  | 'question:approve'
  | 'question:highlight'
  | 'question:answered'
  | 'question:dismiss';
type Ask = RoomAsk;

function Message({
  message,
  console: asConsole,
  facilitator,
  ask,
  reason,
  live: isLive,
}: {
  message: Comment;
  console: boolean;
  facilitator: boolean;
  ask: Ask;
  reason: string;
  live: boolean;
}) {
  const t = useT();
  const me = useStore(session);
  const [reporting, setReporting] = useState(false);
  const [reported, setReported] = useState(false);
  const hidden = message.status === 'hidden';
  const mine = message.author.id === me?.user.id;
  return (
    <li
      class={`message${hidden ? ' is-hidden' : ''}`}
      data-comment-id={message.id}
      data-status={message.status}
    >
      <div class="msg-head">
        <strong class="author">{message.author.displayName}</strong>
        <Time iso={message.createdAt} style="time" />
        {hidden && asConsole && <span class="badge hidden-mark">{t('hidden')}</span>}
      </div>
      <CommentBody comment={message} facilitator={facilitator} />
      <span class="message-actions">
        <button
          type="button"
          class="agree-comment"
          disabled={!me || !isLive}
          onClick={() =>
            void ask('agree:set', { commentId: message.id, agreed: true }).catch(() => undefined)
          }
        >
          {t('agree')} <span class="count">{message.agreeCount}</span>
        </button>
        {me && !mine && message.status === 'visible' && (
          <button
            type="button"
            class="report-comment"
            disabled={reported}
            onClick={() => setReporting(true)}
          >
            {reported ? t('reported') : t('report')}
          </button>
        )}
        {asConsole && facilitator && isLive && (
          <>
            <button
              type="button"
              class="mod-toggle"
              onClick={() =>
                void ask(hidden ? 'mod:restore' : 'mod:hide', {
                  commentId: message.id,
                  reason,
                }).catch(() => undefined)
              }
            >
              {hidden ? t('restore') : t('hide')}
            </button>
            <button
              type="button"
              onClick={() => void ask('mod:pin', { commentId: message.id }).catch(() => undefined)}
            >
              {t('pin')}
            </button>
            {message.author.id !== me?.user.id && (
              <>
                <button
                  type="button"
                  onClick={() =>
                    void ask('mod:mute', {
                      userId: message.author.id,
                      minutes: muteMinutes.get(),
                      reason,
                    }).catch(() => undefined)
                  }
                >
                  {t('mute')}
                </button>
                <button
                  type="button"
                  class="danger"
                  onClick={() =>
                    void confirmAction(t('confirmBan'), t('ban')).then((ok) => {
                      if (ok)
                        void ask('mod:ban', { userId: message.author.id, reason }).catch(
                          () => undefined,
                        );
                    })
                  }
                >
                  {t('ban')}
                </button>
              </>
            )}
          </>
        )}
      </span>
      {reporting && (
        <ReportDialog
          api={api}
          commentId={message.id}
          onClose={(done) => {
            setReporting(false);
            if (done) setReported(true);
          }}
        />
      )}
    </li>
  );
}

function Speaker({ state }: { state: RoomState }) {
  const t = useT();
  const [, tick] = useState(0);
  const speaker = state.queue.speaker;
  useEffect(() => {
    if (!speaker) return;
    const timer = window.setInterval(() => tick((n) => n + 1), 1000);
    return () => window.clearInterval(timer);
  }, [speaker?.until]);
  const left = speaker
    ? Math.max(0, Math.ceil((new Date(speaker.until).getTime() - Date.now()) / 1000))
    : 0;
  return (
    <section aria-labelledby="speaker-h" class="speaker card">
      <h2 id="speaker-h">{t('speaker')}</h2>
      {speaker ? (
        <p data-testid="speaker">
          🎤 <strong>{speaker.displayName}</strong>{' '}
          <span class="countdown" role="timer" aria-live="off">
            {left}
            {t('secondsLeft')}
          </span>
        </p>
      ) : (
        <p class="muted">{t('noSpeaker')}</p>
      )}
      <h3>
        {t('waiting')} ({state.queue.waiting.length})
      </h3>
      {state.queue.waiting.length === 0 && <p class="muted small">{t('queueEmpty')}</p>}
      <ol class="queue" data-testid="queue">
        {state.queue.waiting.map((w) => (
          <li key={w.userId} data-user-id={w.userId}>
            {w.displayName}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Questions({
  state,
  ask,
  console: asConsole,
}: {
  state: RoomState;
  ask: Ask;
  console: boolean;
}) {
  const t = useT();
  const me = useStore(session);
  const [error, setError] = useState<unknown>(null);
  const shown = state.questions
    .filter((q) => q.status !== 'dismissed' && (asConsole || q.status !== 'pending'))
    .sort((a, b) => Number(b.highlighted) - Number(a.highlighted) || b.upvotes - a.upvotes);
  const act = (event: QuestionAction, q: Question) =>
    void ask(event, { questionId: q.id }).catch(setError);
  if (!state.room.settings.questions) return null;
  return (
    <section aria-labelledby="qa-h" class="qa card">
      <h2 id="qa-h">{t('questions')}</h2>
      <ErrorNote error={error instanceof ApiError ? error : null} />
      {shown.length === 0 && <p class="muted small">{t('questionsEmpty')}</p>}
      <ol class="questions">
        {shown.map((q) => (
          <li
            key={q.id}
            class={`question${q.highlighted ? ' highlighted' : ''}`}
            data-question-id={q.id}
            data-status={q.status}
          >
            <p>
              <strong>{q.author.displayName}</strong>: {q.body}
            </p>
            <span class="badge">
              {q.status === 'pending' ? t('pending') : q.status === 'answered' ? t('answered') : ''}
            </span>
            <button
              type="button"
              class="sm"
              disabled={!me || q.author.id === me.user.id || state.room.status !== 'live'}
              onClick={() => act('question:upvote', q)}
              aria-label={`${t('upvote')} ${q.upvotes}`}
            >
              ▲ <span class="count">{q.upvotes}</span>
            </button>
            {asConsole && state.moderator && state.room.status === 'live' && (
              <span class="mod-buttons">
                {q.status === 'pending' && (
                  <button type="button" onClick={() => act('question:approve', q)}>
                    {t('approve')}
                  </button>
                )}
                {q.status === 'visible' && (
                  <>
                    <button type="button" onClick={() => act('question:highlight', q)}>
                      {t('highlight')}
                    </button>
                    <button type="button" onClick={() => act('question:answered', q)}>
                      {t('answered')}
                    </button>
                  </>
                )}
                {(q.status === 'pending' || q.status === 'visible') && (
                  <button type="button" onClick={() => act('question:dismiss', q)}>
                    {t('dismiss')}
                  </button>
                )}
              </span>
            )}
          </li>
        ))}
      </ol>
      {me && state.room.status === 'live' && (
        <LineForm
          id="question-body"
          label={t('ask')}
          button={t('ask')}
          maxLength={500}
          onSend={(body) => ask('question:ask', { body })}
        />
      )}
    </section>
  );
}
