import { type Dispatch, type StateUpdater, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type Api } from './api';
import { Feed, liveEvent, type LiveConnection } from './live';
import { threadEvent } from './thread';
import {
  type Comment,
  type Page,
  type Room,
  type Space,
  type LiveServerEvents,
  type Topic,
} from './types';

export type CommentSort = 'oldest' | 'newest' | 'agrees';

/**
 * A topic's agree count from a live `agree:count` (or an agree's answer), with the ladder's
 * `needed` recomputed locally; a rung crossing arrives as its own `topic:ladder` event.
 */
export function applyTopicCount(
  topic: Topic,
  payload: LiveServerEvents['agree:count'],
  space?: Space,
): Topic {
  if (payload.targetType !== 'topic' || payload.targetId !== topic.id) return topic;
  const agrees = payload.count;
  const { next } = topic.ladder;
  // Agrees count towards the first two rungs only; the third counts participants, which an
  // agree count says nothing about (the server's figure stays until the topic is re-read).
  const byAgrees = next === 'review' || next === 'deliberation';
  const goal = byAgrees && space ? space.thresholds[next] : null;
  const needed = goal === null ? topic.ladder.needed : Math.max(0, goal - agrees);
  return { ...topic, counts: { ...topic.counts, agrees }, ladder: { ...topic.ladder, needed } };
}

export interface TopicStream {
  topic: Topic | null;
  /** Set when the first load failed; a failed re-read keeps what is shown. */
  error: unknown;
  space: Space | undefined;
  comments: Comment[] | null;
  liveRoom: Room | null;
  sort: CommentSort;
  setSort: (sort: CommentSort) => void;
  setTopic: Dispatch<StateUpdater<Topic | null>>;
  changeComments: (change: (list: Comment[]) => Comment[]) => void;
  /** Agrees with the topic, or withdraws the agree. */
  toggleAgree: () => Promise<void>;
  /** Reads the topic again (after a change the page made itself). */
  reread: () => void;
  /** Appends the next page of top-level comments, if there is one. */
  loadMore: (() => void) | null;
}

/**
 * One topic kept live, for the topic page and the embed widget alike: the topic, its space,
 * the first page of its thread and its live room are read over HTTP, then `topic:watch`
 * continues from the topic's `seq`. Counts are snapshots, not replayed, so the topic is read
 * again on every join (once the socket is in the topic's room, nothing can fall between) and
 * on every topic-level event; a live count that overtakes a re-read is laid over it.
 */
export function useTopicStream(
  api: Api,
  conn: LiveConnection,
  id: string,
  options: { limit: number; onEvent?: (event: string, payload: Record<string, unknown>) => void },
): TopicStream {
  const [topic, setTopic] = useState<Topic | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [space, setSpace] = useState<Space | undefined>(undefined);
  const [comments, setComments] = useState<Comment[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [liveRoom, setLiveRoom] = useState<Room | null>(null);
  // Live handlers outlive renders: they read these through refs, the state by updaters.
  const spaceRef = useRef<Space | undefined>(undefined);
  spaceRef.current = space;
  const onEventRef = useRef(options.onEvent);
  onEventRef.current = options.onEvent;
  const [sort, setSortState] = useState<CommentSort>('oldest');
  const sortRef = useRef<CommentSort>('oldest');
  const liveCount = useRef<LiveServerEvents['agree:count'] | null>(null);
  const topicRef = useRef<Topic | null>(null);
  topicRef.current = topic;
  const rereadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Seqs of the comments announced while a re-read is in flight: the answer may predate them.
  const liveComments = useRef<number[]>([]);

  const reread = async (): Promise<void> => {
    liveCount.current = null;
    liveComments.current = [];
    const tp = await api.get<Topic>(`/topics/${id}`).catch(() => null);
    if (!tp) return;
    const count = liveCount.current;
    const later = liveComments.current.filter((seq) => seq > tp.seq).length;
    const fresh = count ? applyTopicCount(tp, count, spaceRef.current) : tp;
    setTopic({ ...fresh, counts: { ...fresh.counts, comments: fresh.counts.comments + later } });
  };
  const loadRoom = async (): Promise<void> => {
    const rooms = await api.get<Page<Room>>(`/rooms?topicId=${id}&status=live&limit=1`);
    setLiveRoom(rooms.items[0] ?? null);
  };
  // Everything is asked for at once; only the space waits for the topic.
  const loadAll = async (): Promise<Topic> => {
    const [tp, page] = await Promise.all([
      api.get<Topic>(`/topics/${id}`),
      api.get<Page<Comment>>(
        `/topics/${id}/comments?limit=${options.limit}&replies=3&depth=3&sort=${sortRef.current}`,
      ),
      loadRoom(),
    ]);
    setTopic(tp);
    setComments(page.items);
    setCursor(page.nextCursor);
    setSpace(await api.get<Space>(`/spaces/${tp.spaceId}`));
    return tp;
  };

  // A layout effect starts the requests right after the render, not after the first paint.
  // The connection changes with the signed-in user, so `myAgree` is read again then too.
  useLayoutEffect(() => {
    let feed: Feed<'topic:watch'> | undefined;
    let alive = true;
    setError(null);
    loadAll().then(
      (tp) => {
        if (!alive) return;
        feed = new Feed(conn, {
          join: 'topic:watch',
          id,
          sinceSeq: tp.seq,
          onJoin: (result) => void (result.reset ? loadAll() : reread()),
          onEvent: (event, payload) => {
            if (event.startsWith('comment:') || event === 'agree:count')
              setComments((list) => list && threadEvent(list, event, payload));
            const e = liveEvent(event, payload);
            if (e.event === 'agree:count') {
              const count = e.payload;
              if (count.targetId === id) liveCount.current = count;
              setTopic((prev) => prev && applyTopicCount(prev, count, spaceRef.current));
              // During a deliberation an agree can add a participant, which the count does
              // not carry: the topic is read again (once for a burst of agrees).
              if (count.targetId === id && topicRef.current?.status === 'deliberating') {
                clearTimeout(rereadTimer.current);
                rereadTimer.current = setTimeout(() => void reread(), 250);
              }
            } else if (e.event === 'comment:new') {
              liveComments.current.push(e.payload.seq);
              setTopic(
                (prev) =>
                  prev && {
                    ...prev,
                    counts: { ...prev.counts, comments: prev.counts.comments + 1 },
                  },
              );
            } else if (e.event === 'stance:count') {
              const { counts } = e.payload;
              setTopic((prev) => prev && { ...prev, counts: { ...prev.counts, stances: counts } });
            } else if (event === 'topic:room') void loadRoom().catch(() => undefined);
            else if (event.startsWith('topic:')) void reread();
            onEventRef.current?.(event, payload);
          },
          onError: setError,
        });
      },
      (e: unknown) => alive && setError(e),
    );
    return () => {
      alive = false;
      feed?.close();
    };
  }, [api, conn, id]);

  const toggleAgree = async (): Promise<void> => {
    if (!topic) return;
    const res = await api[topic.myAgree ? 'delete' : 'put']<{
      agreed: boolean;
      agreeCount: number;
    }>(`/topics/${id}/agree`);
    const payload = {
      topicId: id,
      targetType: 'topic' as const,
      targetId: id,
      count: res.agreeCount,
    };
    setTopic(
      (prev) =>
        prev && { ...applyTopicCount(prev, payload, spaceRef.current), myAgree: res.agreed },
    );
    // An agree during a deliberation may make one a participant: the response rung counts it.
    if (topic.status === 'deliberating') await reread();
  };

  const loadMore = cursor
    ? () =>
        void api
          .get<Page<Comment>>(
            `/topics/${id}/comments?limit=${options.limit}&replies=3&depth=3&sort=${sortRef.current}&cursor=${encodeURIComponent(cursor)}`,
          )
          .then((page) => {
            setComments((list) => [...(list ?? []), ...page.items]);
            setCursor(page.nextCursor);
          })
    : null;

  /** Another sort of the top-level comments: the thread is read again from its start. */
  const setSort = (next: CommentSort): void => {
    sortRef.current = next;
    setSortState(next);
    void api
      .get<Page<Comment>>(
        `/topics/${id}/comments?limit=${options.limit}&replies=3&depth=3&sort=${next}`,
      )
      .then((page) => {
        setComments(page.items);
        setCursor(page.nextCursor);
      });
  };

  return {
    topic,
    error,
    space,
    comments,
    liveRoom,
    sort,
    setSort,
    setTopic,
    changeComments: (change) => setComments((list) => list && change(list)),
    toggleAgree,
    reread: () => void reread(),
    loadMore,
  };
}
