import { Injectable } from '@nestjs/common';
import { domainEvent } from '../core/events/domain-events';
import { UnitOfWork } from '../core/events/unit-of-work';
import { msg, Problem, term } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { AuditService } from '../moderation/audit.service';
import { SpaceAccessService } from '../spaces/space-access.service';
import { type ResponseDto, type TopicView } from './dto/topic.dto';
import { LadderService } from './ladder.service';
import { ANSWERABLE_STATUSES } from './topic-lifecycle';
import { TopicEventsRepository } from './topic-events.repository';
import { TopicResponsesRepository } from './topic-responses.repository';
import { TopicsService } from './topics.service';

/** The institution's official answer to a topic: it settles what the rungs owed. */
@Injectable()
export class TopicResponsesService {
  constructor(
    private readonly answers: TopicResponsesRepository,
    private readonly events: TopicEventsRepository,
    private readonly uow: UnitOfWork,
    private readonly ladder: LadderService,
    private readonly access: SpaceAccessService,
    private readonly audit: AuditService,
    private readonly topics: TopicsService,
  ) {}

  async respond(auth: AuthUser, id: string, dto: ResponseDto): Promise<TopicView> {
    await this.uow.run(async (work) => {
      const topic = await this.ladder.lock(work, id);
      if (!topic) throw Problem.notFound('Topic');
      await this.access.requireFacilitator(auth, topic.space_id, work.tx);
      if (!ANSWERABLE_STATUSES.includes(topic.status)) {
        throw Problem.conflict(
          'illegal_transition',
          msg('topics.cannot_answer', { status: term(topic.status) }),
        );
      }
      const responseId = await this.answers.insert(work.tx, {
        topicId: id,
        authorId: auth.id,
        role: dto.role ?? 'facilitator',
        body: dto.body,
      });
      await this.answers.settleOwed(work.tx, id);
      const from = topic.status;
      await this.ladder.move(work, topic, 'answered', auth.id, null);
      const seq = await this.events.append(work.tx, id, 'answered', auth.id, {
        responseId,
        role: dto.role ?? 'facilitator',
      });
      work.emit(
        domainEvent('topic.answered', { topicId: id, spaceId: topic.space_id, responseId, seq }),
      );
      await this.audit.record(work.tx, {
        spaceId: topic.space_id,
        actorId: auth.id,
        action: 'topic.respond',
        targetType: 'topic',
        targetId: id,
        before: { status: from },
        after: { status: 'answered', responseId },
      });
    });
    return this.topics.get(id, auth);
  }
}
