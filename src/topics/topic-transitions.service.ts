import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../core/events/unit-of-work';
import { Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { AuditService } from '../moderation/audit.service';
import { SpaceAccessService } from '../spaces/space-access.service';
import { type TopicView, type TransitionDto } from './dto/topic.dto';
import { LadderService } from './ladder.service';
import { assertManualTransition } from './topic-lifecycle';
import { TopicsService } from './topics.service';

/**
 * A facilitator's moves of a topic by hand: opening a deliberation (below its threshold only
 * with a reason), closing it, rejecting a proposal. The ladder's own moves are LadderService's.
 */
@Injectable()
export class TopicTransitionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ladder: LadderService,
    private readonly access: SpaceAccessService,
    private readonly audit: AuditService,
    private readonly topics: TopicsService,
  ) {}

  async transition(auth: AuthUser, id: string, dto: TransitionDto): Promise<TopicView> {
    await this.uow.run(async (work) => {
      const topic = await this.ladder.lock(work, id);
      if (!topic) throw Problem.notFound('Topic');
      await this.access.requireFacilitator(auth, topic.space_id, work.tx);
      assertManualTransition(topic.status, dto.to);
      if (dto.to === 'rejected' && !dto.reason) throw Problem.field('reason', 'reason_reject');
      const belowThreshold =
        dto.to === 'deliberating' && topic.agree_count < topic.thresholds.deliberation;
      if (belowThreshold && !dto.reason) {
        throw Problem.field('reason', 'reason_open');
      }
      let closesAt: Date | undefined;
      if (dto.closesAt !== undefined) {
        if (dto.to !== 'deliberating') throw Problem.field('closesAt', 'closes_at_open_only');
        closesAt = new Date(dto.closesAt);
        if (closesAt.getTime() <= Date.now()) throw Problem.field('closesAt', 'future');
      }
      const from = topic.status;
      await this.ladder.move(work, topic, dto.to, auth.id, dto.reason ?? null, closesAt);
      await this.audit.record(work.tx, {
        spaceId: topic.space_id,
        actorId: auth.id,
        action: `topic.${dto.to === 'deliberating' ? 'open_deliberation' : dto.to === 'closed' ? 'close' : 'reject'}`,
        targetType: 'topic',
        targetId: id,
        reason: dto.reason ?? null,
        before: { status: from },
        after: { status: dto.to, ...(closesAt ? { closesAt: closesAt.toISOString() } : {}) },
      });
    });
    return this.topics.get(id, auth);
  }
}
