import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  COMMENT_COLUMNS,
  type CommentRow,
  type CommentView,
  toCommentView,
} from '../comments/comment.view';
import { CommentsService } from '../comments/comments.service';
import { EmbedService } from '../embed/embed.service';
import { type LiveSocket, Rooms } from '../core/realtime/live-socket';
import { PresenceService } from './presence.service';
import { QuestionsReader } from './qa/questions.read';
import { type QuestionView } from './qa/question.view';
import { QueueReader } from './queue/queue.read';
import { type QueueState } from './queue/queue.view';
import { RoomAccess } from './room-access.service';
import { toRoomView, type RoomView } from './room.view';

/** More missed events than this and the client is told to reload the room instead. */
export const MAX_ROOM_REPLAY = 500;
/** Chat messages included when joining. */
export const RECENT_MESSAGES = 50;

export interface MissedRoomEvent {
  event: string;
  payload: { roomId: string; seq: number } & Record<string, unknown>;
}

export interface JoinResult {
  room: RoomView;
  /** The room's last event number: live events continue from here. */
  seq: number;
  presence: { count: number };
  /** The latest chat messages, oldest first. */
  recent: CommentView[];
  questions: QuestionView[];
  queue: QueueState;
  /** With `sinceSeq`: the events missed since then, in order. */
  missed: MissedRoomEvent[];
  /** True when too many events were missed: use `recent`, `questions` and `queue` instead. */
  reset: boolean;
  /** Whether this connection receives the facilitators' channel. */
  moderator: boolean;
}

/**
 * `room:join` and `room:leave`. The socket joins the room (and the facilitators' channel when
 * it may) before the replay is read, so nothing falls between the replay and live delivery;
 * clients drop any `seq` they already applied. What is replayed is filtered as the viewer may
 * see it now: facilitator-only events only to facilitators, hidden comments without text.
 */
@Injectable()
export class RoomJoinService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: RoomAccess,
    private readonly comments: CommentsService,
    private readonly questions: QuestionsReader,
    private readonly queue: QueueReader,
    private readonly presence: PresenceService,
    private readonly embed: EmbedService,
  ) {}

  async join(socket: LiveSocket, roomId: string, sinceSeq?: number): Promise<JoinResult> {
    const room = await this.access.load(roomId);
    const user = socket.data.user;
    if (socket.data.embedOrigin)
      await this.embed.assertSocketMayShow(socket.data.embedOrigin, { roomId });
    if (user) await this.access.assertNotBanned(user.id, room);
    const moderator = await this.access.isFacilitator(user, room);

    await socket.join(
      moderator ? [Rooms.room(roomId), Rooms.roomModerators(roomId)] : Rooms.room(roomId),
    );
    this.presence.changed(roomId);

    // Everything below is read after the join, so nothing falls between it and live delivery;
    // the room itself is read again for the same reason (its seq after the join).
    const [missed, recent, questions, queue, current, presence] = await Promise.all([
      sinceSeq === undefined
        ? Promise.resolve({ events: [], reset: false })
        : this.replay(roomId, sinceSeq, moderator),
      this.recent(roomId, moderator),
      this.questions.list(roomId, moderator),
      this.queue.state(roomId),
      this.access.load(roomId),
      this.presence.joinCount(roomId),
    ]);
    return {
      room: toRoomView(current),
      seq: current.seq,
      presence: { count: presence },
      recent,
      questions,
      queue,
      missed: missed.events,
      reset: missed.reset,
      moderator,
    };
  }

  async leave(socket: LiveSocket, roomId: string): Promise<{ roomId: string }> {
    await socket.leave(Rooms.room(roomId));
    await socket.leave(Rooms.roomModerators(roomId));
    this.presence.changed(roomId);
    return { roomId };
  }

  /** The latest messages, oldest first, in one query (every join and reconnect runs it). */
  private async recent(roomId: string, moderator: boolean): Promise<CommentView[]> {
    const rows: CommentRow[] = await this.dataSource.query(
      `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
        WHERE c.room_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT $2`,
      [roomId, RECENT_MESSAGES],
    );
    return rows.map((row) => toCommentView(row, moderator)).reverse();
  }

  private async replay(
    roomId: string,
    sinceSeq: number,
    moderator: boolean,
  ): Promise<{ events: MissedRoomEvent[]; reset: boolean }> {
    const rows: {
      seq: number;
      type: string;
      audience: 'all' | 'mod';
      data: Record<string, unknown>;
    }[] = await this.dataSource.query(
      `SELECT seq, type, audience, data FROM room_events WHERE room_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [roomId, sinceSeq, MAX_ROOM_REPLAY + 1],
    );
    if (rows.length > MAX_ROOM_REPLAY) return { events: [], reset: true };
    // Comments are replayed as they are now, so a message hidden since never shows its text.
    const commentIds = rows
      .map((r) => (r.data.comment as { id?: unknown } | undefined)?.id)
      .filter((id): id is string => typeof id === 'string');
    const views = await this.comments.viewsByIds([...new Set(commentIds)], moderator);
    const events: MissedRoomEvent[] = [];
    for (const row of rows) {
      // Facilitator-only events leave a numbered placeholder, so citizens see no gap either.
      if (row.audience === 'mod' && !moderator) {
        events.push({ event: 'room:skip', payload: { roomId, seq: row.seq } });
        continue;
      }
      const data = { ...row.data };
      const commentId = (data.comment as { id?: unknown } | undefined)?.id;
      if (typeof commentId === 'string') data.comment = views.get(commentId) ?? null;
      events.push({ event: row.type, payload: { ...data, roomId, seq: row.seq } });
    }
    return { events, reset: false };
  }
}
