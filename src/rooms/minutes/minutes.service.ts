import { isUuid } from '../../core/uuid';
import { Injectable } from '@nestjs/common';
import { msg, Problem } from '../../core/http/problem';
import { RoomMessagesRepository } from '../chat/room-messages.repository';
import { toQuestionView } from '../qa/question.view';
import { QuestionsRepository } from '../qa/questions.repository';
import { RoomAccess } from '../room-access.service';
import { type EventActorRow, RoomEventsRepository } from '../room-events.repository';
import { type AuditRow, MinutesReader } from './minutes.read';
import { type MinutesPerson, type MinutesView } from './minutes.view';
import { RoomAttendanceRepository } from './room-attendance.repository';

export const TOP_AGREED_LIMIT = 5;

/**
 * The minutes (회의록) of an ended room, read from what the room left in PostgreSQL: the room
 * row (times, peak presence, reaction totals), its questions, its messages (comments tagged
 * with the room), its numbered events and the audit log.
 */
@Injectable()
export class MinutesService {
  constructor(
    private readonly access: RoomAccess,
    private readonly reader: MinutesReader,
    private readonly events: RoomEventsRepository,
    private readonly questions: QuestionsRepository,
    private readonly messages: RoomMessagesRepository,
    private readonly attendance: RoomAttendanceRepository,
  ) {}

  async build(roomId: string): Promise<MinutesView> {
    const room = await this.access.load(roomId);
    if (room.status !== 'ended')
      throw Problem.conflict('room_not_ended', msg('code.room_not_ended'));
    const [audit, eventActors, counts, messages, unanswered, top, attendance] = await Promise.all([
      this.reader.audit(room.id, room.spaceId),
      this.events.actors(room.id),
      this.questions.countByStatus(room.id),
      this.messages.count(room.id),
      this.questions.unanswered(room.id),
      this.messages.topAgreed(room.id, TOP_AGREED_LIMIT),
      this.attendance.timeline(room.id),
    ]);

    const byStatus = new Map(counts.map((c) => [c.status, c.n]));
    const n = (status: string): number => byStatus.get(status) ?? 0;
    const startedAt = room.startedAt;
    const endedAt = room.endedAt;

    return {
      room: {
        id: room.id,
        title: room.title,
        topicId: room.topicId,
        startedAt: startedAt?.toISOString() ?? null,
        endedAt: endedAt?.toISOString() ?? null,
        durationMinutes:
          startedAt && endedAt
            ? Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 60_000))
            : 0,
      },
      facilitators: await this.facilitators(audit, eventActors),
      attendance: {
        peak: room.peakPresence,
        timeline: attendance.map((a) => ({ at: a.at.toISOString(), count: a.count })),
      },
      messages: { count: messages },
      questions: {
        count: [...byStatus.values()].reduce((a, b) => a + b, 0),
        answered: n('answered'),
        unanswered: n('visible') + n('pending'),
        dismissed: n('dismissed'),
      },
      unansweredQuestions: unanswered.map(toQuestionView),
      topAgreed: top.map((c) => ({
        id: c.id,
        author: { id: c.author_id, displayName: c.display_name },
        body: c.body,
        agreeCount: c.agree_count,
        createdAt: c.created_at.toISOString(),
      })),
      moderation: audit.map((a) => ({
        action: a.action,
        actor: a.actor_id ? { id: a.actor_id, displayName: a.actor_name ?? '' } : null,
        target: {
          type: a.target_type,
          id: a.target_id,
          ...(a.target_name !== null ? { displayName: a.target_name } : {}),
        },
        reason: a.reason,
        at: a.created_at.toISOString(),
      })),
      reactions: room.reactionTotals ?? {},
    };
  }

  /** Audit actors and room-event actors, in the order they first acted. */
  private async facilitators(audit: AuditRow[], events: EventActorRow[]): Promise<MinutesPerson[]> {
    const first = new Map<string, number>();
    const see = (id: string | null, at: Date): void => {
      if (!id || !isUuid(id)) return;
      const key = id.toLowerCase();
      const seen = first.get(key);
      if (seen === undefined || at.getTime() < seen) first.set(key, at.getTime());
    };
    for (const a of audit) see(a.actor_id, a.created_at);
    for (const e of events) see(e.actor, e.created_at);
    if (first.size === 0) return [];
    const users = await this.reader.names([...first.keys()]);
    return users
      .map((u) => ({ id: u.id, displayName: u.display_name }))
      .sort((a, b) => first.get(a.id)! - first.get(b.id)! || a.id.localeCompare(b.id));
  }
}
