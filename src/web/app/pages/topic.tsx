import { useState } from 'preact/hooks';
import { type MessageKey, type Translate, useT } from '../../shared/i18n';
import { useStore } from '../../shared/store';
import { DateTimeField, seoulInstant, seoulLocal } from '../../shared/date-time-field';
import { ANSWERABLE, MANUAL_TRANSITIONS } from '../../../topics/topic-status';
import { CommentForm, CommentList, type ThreadActions } from '../../shared/thread';
import { type CommentSort, useTopicStream } from '../../shared/topic-stream';
import {
  type Comment,
  type Page,
  type Room,
  type Stance,
  type TimelineEntry,
  type Topic,
} from '../../shared/types';
import {
  confirmAction,
  Dialog,
  EmptyState,
  ErrorNote,
  Form,
  Ladder,
  LiveBadge,
  Skeleton,
  StanceChart,
  StatusBadge,
  Tabs,
  text,
  Time,
  toast,
  usePageTitle,
} from '../../shared/ui';
import { Link } from '../app';
import { FollowButton } from './notifications';
import { announce, announcements, api, live, session, useLoad } from '../context';

const OPEN = new Set(['proposed', 'under_review', 'deliberating']);
const RUNG_LABEL: Record<string, MessageKey> = {
  review: 'rungReview',
  deliberation: 'rungDeliberation',
  response: 'rungResponse',
};
const rungText = (t: Translate, rung: unknown): string =>
  RUNG_LABEL[String(rung)] ? t(RUNG_LABEL[String(rung)]!) : String(rung);
const statusText = (t: Translate, status: unknown): string =>
  t(`status_${String(status)}` as MessageKey);

/** One timeline entry in the reader's language, from its data (never the server's English). */
function eventLabel(e: TimelineEntry, t: Translate): string {
  switch (e.type) {
    case 'created':
      return t('ev_created');
    case 'ladder_crossed':
      return `${t('ev_ladder_crossed')}: ${rungText(t, e.data.rung)} (${String(e.data.count)})`;
    case 'answered':
      return t('ev_answered');
    case 'transitioned': {
      const move = t('transitionLine', {
        from: statusText(t, e.data.from),
        to: statusText(t, e.data.to),
      });
      const cause = e.data.cause as { kind: string; rung?: string; count?: number } | undefined;
      if (cause?.kind === 'threshold')
        return `${move} · ${t('ev_cause_threshold', { rung: rungText(t, cause.rung), count: cause.count ?? 0 })}`;
      if (cause?.kind === 'proposal_window') return `${move} · ${t('ev_cause_proposal_window')}`;
      if (cause?.kind === 'closing_time') return `${move} · ${t('ev_cause_closing_time')}`;
      return move;
    }
    default:
      return e.type;
  }
}

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
        if (event === 'topic:ladder')
          announce(`${t('ev_ladder_crossed')}: ${rungText(t, payload.rung)}`);
      }
    },
  });
  const { topic: tp, space, comments } = stream;
  usePageTitle(tp?.title);

  if (!tp)
    return stream.error ? (
      <ErrorNote error={stream.error} />
    ) : (
      <div class="two-col">
        <Skeleton lines={6} />
        <Skeleton lines={3} height="3rem" />
      </div>
    );
  const facilitator = session.facilitates(tp.spaceId);
  const open = OPEN.has(tp.status);
  const actions: ThreadActions = {
    api,
    signedIn: !!me,
    meId: me?.user.id,
    facilitator,
    topicId: tp.id,
    canPost: !!me && open,
    onChange: stream.changeComments,
  };
  const liveRoom = stream.liveRoom;
  const share = async () => {
    const url = `${window.location.origin}/topics/${tp.id}`;
    try {
      if (navigator.share && matchMedia('(pointer: coarse)').matches)
        await navigator.share({ title: tp.title, url });
      else {
        await navigator.clipboard.writeText(url);
        toast(t('linkCopied'));
      }
    } catch {
      // The person closed the share sheet, or the clipboard is refused: the address bar has it.
    }
  };
  return (
    <article class="topic" data-topic-id={tp.id}>
      {liveRoom && (
        <p class="banner live" role="status">
          <LiveBadge /> <Link href={`/rooms/${liveRoom.id}`}>{liveRoom.title}</Link>
        </p>
      )}
      <p class="crumbs">
        <Link href="/">{t('home')}</Link>
        {space && (
          <>
            {' › '}
            <Link href={`/spaces/${encodeURIComponent(space.slug)}`}>{space.name}</Link>
          </>
        )}
      </p>
      <div class="two-col">
        <div class="stack">
          <header class="topic-head">
            <div class="row">
              <StatusBadge status={tp.status} />
              {tp.tags.map((tag) => (
                <span key={tag} class="chip">
                  #{tag}
                </span>
              ))}
              <FollowButton topicId={tp.id} />
            </div>
            <h1 style={{ marginTop: '0.5rem' }}>{tp.title}</h1>
            <p class="meta">
              <span>{tp.author.displayName}</span>
              <Time iso={tp.createdAt} />
              <span>{t('participantsN', { n: tp.counts.participants })}</span>
            </p>
          </header>
          <div class="topic-body user-text">{tp.body}</div>
          {tp.status === 'rejected' && tp.rejectedReason && (
            <p class="notice">
              {t('status_rejected')}: <span class="user-text">{tp.rejectedReason}</span>
            </p>
          )}
          {tp.response && (
            <section class="card response" aria-labelledby="response" data-testid="response">
              <h2 id="response">✅ {t('officialResponse')}</h2>
              <p class="meta">
                <span>{tp.response.role}</span>
                <span>{tp.response.author.displayName}</span>
                <Time iso={tp.response.createdAt} style="full" />
              </p>
              <div class="user-text">{tp.response.body}</div>
            </section>
          )}
          <section aria-labelledby="discussion" class="card">
            <div class="section-head">
              <h2 id="discussion">
                {t('discussion')} ({tp.counts.comments})
              </h2>
            </div>
            <Tabs<CommentSort>
              label={t('sortLabel')}
              selected={stream.sort}
              onSelect={stream.setSort}
              tabs={[
                { key: 'oldest', label: t('sortOldest') },
                { key: 'newest', label: t('sortNewest') },
                { key: 'agrees', label: t('sortAgrees') },
              ]}
            />
            <div role="tabpanel" id={`panel-${stream.sort}`} aria-labelledby={`tab-${stream.sort}`}>
              {actions.canPost && <CommentForm actions={actions} label={t('writeComment')} />}
              {!me && open && (
                <p>
                  <Link href={`/signin?next=/topics/${tp.id}`}>{t('signInToTake')}</Link>
                </p>
              )}
              {!comments && <Skeleton lines={4} />}
              {comments && comments.length === 0 && (
                <EmptyState icon="💬" title={t('noComments')} />
              )}
              {comments && <CommentList comments={comments} actions={actions} />}
              {stream.loadMore && (
                <button type="button" onClick={stream.loadMore}>
                  {t('loadMore')}
                </button>
              )}
            </div>
          </section>
        </div>
        <aside class="stack">
          <section class="card agree-panel" aria-labelledby="ladder-h">
            <h2 id="ladder-h">{t('ladderTitle')}</h2>
            <button
              type="button"
              class="agree-topic"
              aria-pressed={!!tp.myAgree}
              disabled={!me || !open}
              onClick={() => void stream.toggleAgree()}
            >
              👍 {tp.myAgree ? t('agreed') : t('agree')}{' '}
              <span class="count" data-testid="topic-agrees">
                {tp.counts.agrees}
              </span>
            </button>
            <Ladder topic={tp} space={space} full />
            {tp.owedAnswers.length > 0 && (
              <ul class="plain-list small" data-testid="owed-answers">
                {tp.owedAnswers.map((o) => (
                  <li key={o.rung}>
                    {o.answeredAt ? (
                      <span class="badge ok">
                        {t('owedAnswered', { rung: rungText(t, o.rung) })}
                      </span>
                    ) : (
                      <span class="badge warn">
                        {t('owedDue', {
                          rung: rungText(t, o.rung),
                          date: new Intl.DateTimeFormat(
                            document.documentElement.lang === 'en' ? 'en-GB' : 'ko-KR',
                            {
                              dateStyle: 'long',
                              timeZone: 'Asia/Seoul',
                            },
                          ).format(new Date(o.dueAt)),
                        })}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            )}
            <button type="button" class="sm" onClick={() => void share()}>
              🔗 {t('share')}
            </button>
          </section>
          {(tp.status === 'deliberating' ||
            tp.counts.stances.for + tp.counts.stances.against + tp.counts.stances.neutral > 0) && (
            <section class="card" aria-labelledby="stance-h">
              <h2 id="stance-h">{t('stanceChart')}</h2>
              <StanceChart counts={tp.counts.stances} />
              {tp.status === 'deliberating' && (
                <StanceControl topic={tp} onChange={(next) => stream.setTopic(() => next)} />
              )}
            </section>
          )}
          {facilitator && <FacilitatorTools topic={tp} onDone={stream.reread} />}
          <section class="card" aria-labelledby="timeline">
            <h2 id="timeline">{t('timeline')}</h2>
            <ol class="timeline">
              {timeline.data?.items.map((e) => (
                <li key={e.seq} data-type={e.type}>
                  <Time iso={e.createdAt} /> — <span class="event-type">{eventLabel(e, t)}</span>
                  {e.actor && <> · {e.actor.displayName}</>}
                  {e.actor && typeof e.data.reason === 'string' && (
                    <>
                      {' '}
                      · <span class="user-text">{e.data.reason}</span>
                    </>
                  )}
                </li>
              ))}
            </ol>
          </section>
        </aside>
      </div>
    </article>
  );
}

/** Choosing a stance: the answer carries the new counts, so the chart moves at once. */
function StanceControl({ topic, onChange }: { topic: Topic; onChange: (t: Topic) => void }) {
  const t = useT();
  const me = useStore(session);
  const [error, setError] = useState<unknown>(null);
  return (
    <div role="group" aria-label={t('chooseStance')}>
      <p class="label">{t('myStance')}</p>
      <div class="stance-buttons">
        {(['for', 'against', 'neutral'] as const).map((stance: Stance) => (
          <button
            key={stance}
            type="button"
            class="stance-choice"
            data-stance={stance}
            aria-pressed={topic.myStance === stance}
            disabled={!me}
            onClick={() => {
              setError(null);
              api.put<Topic>(`/topics/${topic.id}/stance`, { stance }).then(onChange, setError);
            }}
          >
            {t(`stance_${stance}`)}
          </button>
        ))}
      </div>
      <ErrorNote error={error} />
    </div>
  );
}

function FacilitatorTools({ topic, onDone }: { topic: Topic; onDone: () => void }) {
  const t = useT();
  const [error, setError] = useState<unknown>(null);
  type Move = 'deliberating' | 'closed' | 'rejected';
  const [moving, setMoving] = useState<Move | null>(null);
  const [draft, setDraft] = useState('');
  const [previewing, setPreviewing] = useState(false);
  const [scheduling, setScheduling] = useState(false);
  const label: Record<Move, string> = {
    deliberating: t('openDeliberation'),
    closed: t('close'),
    rejected: t('reject'),
  };
  // The same table the server checks: a move it would refuse is never offered.
  const moves = MANUAL_TRANSITIONS[topic.status] as readonly Move[];
  const answerable = ANSWERABLE.includes(topic.status) && !topic.response;
  // The default close offered: 30 days from now (the spaces' default length), in Seoul time; the
  // facilitator changes it in the field.
  const defaultClose = seoulLocal(new Date(Date.now() + 30 * 86_400_000).toISOString());
  return (
    <section class="card facilitator" aria-labelledby="facilitator-tools">
      <h2 id="facilitator-tools">{t('actionsTitle')}</h2>
      <h3>{t('bo_transition')}</h3>
      {moves.length === 0 ? (
        <p class="muted">{t('bo_noTransition')}</p>
      ) : (
        <div class="toolbar" data-testid="transitions">
          {moves.map((to) => (
            <button
              key={to}
              type="button"
              data-to={to}
              class={to === 'rejected' ? 'danger sm' : 'sm'}
              onClick={() => setMoving(to)}
            >
              {label[to]}
            </button>
          ))}
        </div>
      )}
      <ErrorNote error={error} />
      {moving && (
        <Dialog title={label[moving]} onClose={() => setMoving(null)} id="transition">
          <Form
            label={label[moving]}
            onSubmit={async (data) => {
              const reason = text(data, 'reason');
              const closesAt = text(data, 'closesAt');
              if (
                moving !== 'deliberating' &&
                !(await confirmAction(
                  moving === 'rejected' ? t('confirmReject') : t('confirmClose'),
                  label[moving],
                ))
              )
                return;
              await api.post(`/topics/${topic.id}/transitions`, {
                to: moving,
                ...(reason ? { reason } : {}),
                ...(moving === 'deliberating' && closesAt
                  ? { closesAt: seoulInstant(closesAt) }
                  : {}),
              });
              setMoving(null);
              setError(null);
              onDone();
            }}
          >
            <label for="transition-reason">{t('bo_reasonRequired')}</label>
            <textarea
              id="transition-reason"
              name="reason"
              rows={3}
              maxLength={2000}
              required={moving === 'rejected'}
            />
            {moving === 'deliberating' && (
              <>
                <DateTimeField
                  id="transition-closes"
                  name="closesAt"
                  label={t('bo_closesAt')}
                  defaultValue={defaultClose}
                />
              </>
            )}
            <div class="modal-actions">
              <button type="button" onClick={() => setMoving(null)}>
                {t('cancel')}
              </button>
              <button type="submit" class="primary">
                {label[moving]}
              </button>
            </div>
          </Form>
        </Dialog>
      )}
      {answerable && (
        <Form
          label={t('bo_responseEditor')}
          onSubmit={async (data) => {
            const role = text(data, 'role');
            await api.post(`/topics/${topic.id}/response`, {
              body: draft.trim(),
              ...(role ? { role } : {}),
            });
            setDraft('');
            setPreviewing(false);
            onDone();
          }}
        >
          <h3>{t('bo_responseEditor')}</h3>
          <label for="response-role">{t('bo_responseRole')}</label>
          <input id="response-role" name="role" maxLength={100} />
          <div class="toolbar">
            <button
              type="button"
              class="sm"
              aria-pressed={!previewing}
              onClick={() => setPreviewing(false)}
            >
              {t('bo_edit2')}
            </button>
            <button
              type="button"
              class="sm"
              aria-pressed={previewing}
              onClick={() => setPreviewing(true)}
            >
              {t('bo_preview')}
            </button>
          </div>
          {previewing ? (
            <div class="preview-box" data-testid="response-preview">
              {draft}
            </div>
          ) : (
            <>
              <label for="response-body">{t('respond')}</label>
              <textarea
                id="response-body"
                name="body"
                required
                rows={6}
                maxLength={20000}
                value={draft}
                onInput={(e) => setDraft(e.currentTarget.value)}
              />
            </>
          )}
          <button type="submit" class="primary sm" disabled={!draft.trim()}>
            {t('respond')}
          </button>
        </Form>
      )}
      <button type="button" class="sm" onClick={() => setScheduling(true)}>
        {t('bo_schedule')}
      </button>
      {scheduling && (
        <Dialog title={t('bo_schedule')} onClose={() => setScheduling(false)} id="schedule">
          <Form
            label={t('bo_schedule')}
            onSubmit={async (data) => {
              const startsAt = text(data, 'startsAt');
              const streamUrl = text(data, 'streamUrl');
              const room = await api.post<Room>(`/topics/${topic.id}/rooms`, {
                title: text(data, 'title'),
                ...(startsAt ? { startsAt: seoulInstant(startsAt) } : {}),
                settings: {
                  ...(streamUrl ? { streamUrl } : {}),
                  approveQuestions: data.get('approveQuestions') === 'on',
                  speakerSeconds: Number(text(data, 'speakerSeconds') || 120),
                },
              });
              window.location.assign(`/rooms/${room.id}/console`);
            }}
          >
            <label for="room-title">{t('title')}</label>
            <input id="room-title" name="title" required maxLength={200} />
            <DateTimeField id="room-starts" name="startsAt" label={t('bo_startsAt')} />
            <label for="room-stream">{t('streamUrl')}</label>
            <input id="room-stream" name="streamUrl" type="url" maxLength={2000} />
            <label for="room-speaker">{t('bo_speakerSeconds')}</label>
            <input
              id="room-speaker"
              name="speakerSeconds"
              type="number"
              min={10}
              max={3600}
              defaultValue="120"
            />
            <label class="row">
              <input type="checkbox" name="approveQuestions" /> {t('bo_qaModeration')}
            </label>
            <div class="modal-actions">
              <button type="button" onClick={() => setScheduling(false)}>
                {t('cancel')}
              </button>
              <button type="submit" class="primary">
                {t('bo_schedule')}
              </button>
            </div>
          </Form>
        </Dialog>
      )}
    </section>
  );
}
