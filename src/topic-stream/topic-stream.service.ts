import { Injectable } from '@nestjs/common';
import { CommentsService } from '../comments/comments.service';
import { EmbedService } from '../embed/embed.service';
import { Problem } from '../core/http/problem';
import { type CommentView } from '../protocol/views';
import { type MissedTopicEvent, type WatchResult } from '../protocol/live';
import { type LiveSocket, Rooms } from '../core/realtime/live-socket';
import { SpaceAccessService } from '../spaces/space-access.service';
import { type ReplayRow, TopicEventsRepository } from '../topics/topic-events.repository';
import { TopicsRepository } from '../topics/topics.repository';

/** A replayed event: the same name and payload the client would have received live. */
export type StreamEvent = MissedTopicEvent;

/** More missed events than this and the client is told to reload the topic instead. */
export const MAX_REPLAY = 500;

export type { WatchResult } from '../protocol/live';

type EventRow = ReplayRow;

/**
 * `topic:watch` for pages and embeds: joins the topic's room, then replays from PostgreSQL
 * what the client missed since `sinceSeq`, as the viewer is allowed to see it now (a comment
 * hidden since it was posted comes back hidden, never with its text, to non-facilitators).
 * The room is joined before the replay is read, so an event can arrive both live and in the
 * replay but never in neither; clients drop any `seq` they have already applied.
 */
@Injectable()
export class TopicStreamService {
  constructor(
    private readonly topics: TopicsRepository,
    private readonly events: TopicEventsRepository,
    private readonly comments: CommentsService,
    private readonly access: SpaceAccessService,
    private readonly embed: EmbedService,
  ) {}

  async watch(socket: LiveSocket, topicId: string, sinceSeq?: number): Promise<WatchResult> {
    const topic = await this.topics.streamHead(topicId);
    if (!topic) throw Problem.notFound('Topic');
    if (socket.data.embedOrigin)
      await this.embed.assertSocketMayShow(socket.data.embedOrigin, { topicId });
    await socket.join(Rooms.topic(topicId));
    if (sinceSeq === undefined) return { topicId, seq: topic.seq, missed: [], reset: false };

    const rows = await this.events.since(topicId, sinceSeq, MAX_REPLAY + 1);
    if (rows.length > MAX_REPLAY) return { topicId, seq: topic.seq, missed: [], reset: true };
    const facilitator = await this.access.isFacilitator(socket.data.user, topic.space_id);
    const commentIds = rows
      .map((r) => r.data.commentId)
      .filter((id): id is string => typeof id === 'string');
    const views = await this.comments.viewsByIds([...new Set(commentIds)], facilitator);
    const last = rows[rows.length - 1]?.seq ?? sinceSeq;
    return {
      topicId,
      seq: Math.max(last, topic.seq),
      missed: rows.map((row) => this.toStreamEvent(topicId, row, views)),
      reset: false,
    };
  }

  async unwatch(socket: LiveSocket, topicId: string): Promise<{ topicId: string }> {
    await socket.leave(Rooms.topic(topicId));
    return { topicId };
  }

  private toStreamEvent(
    topicId: string,
    row: EventRow,
    views: Map<string, CommentView>,
  ): StreamEvent {
    const { seq, data } = row;
    const commentId = typeof data.commentId === 'string' ? data.commentId : '';
    const comment = views.get(commentId);
    switch (row.type) {
      case 'created':
        return { event: 'topic:created', payload: { topicId, seq } };
      case 'comment_created':
        if (comment) return { event: 'comment:new', payload: { topicId, seq, comment } };
        break;
      case 'comment_edited':
        if (comment) return { event: 'comment:edited', payload: { topicId, seq, comment } };
        break;
      case 'comment_deleted':
        return { event: 'comment:deleted', payload: { topicId, seq, commentId } };
      case 'comment_hidden':
        return {
          event: 'comment:hidden',
          payload: {
            topicId,
            seq,
            commentId,
            hiddenReason:
              comment?.hiddenReason ?? (typeof data.reason === 'string' ? data.reason : ''),
          },
        };
      case 'comment_restored':
        if (comment) return { event: 'comment:restored', payload: { topicId, seq, comment } };
        break;
      case 'transitioned':
        return {
          event: 'topic:status',
          payload: {
            topicId,
            seq,
            from: String(data.from),
            to: String(data.to),
            reason: (data.reason as string | null) ?? null,
          },
        };
      case 'ladder_crossed':
        return {
          event: 'topic:ladder',
          payload: {
            topicId,
            seq,
            rung: String(data.rung),
            count: Number(data.count),
            dueAt: (data.dueAt as string | null) ?? null,
          },
        };
      case 'answered':
        return {
          event: 'topic:answered',
          payload: { topicId, seq, responseId: String(data.responseId) },
        };
    }
    // A comment removed with its topic's cascade: keep the number so the client sees no gap.
    return { event: 'comment:deleted', payload: { topicId, seq, commentId } };
  }
}
