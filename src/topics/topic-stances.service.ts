import { Injectable } from '@nestjs/common';
import { domainEvent } from '../core/events/domain-events';
import { UnitOfWork } from '../core/events/unit-of-work';
import { msg, Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { BanCheck } from '../moderation/bans.guard';
import { type StanceDto, type TopicView } from './dto/topic.dto';
import { LadderService } from './ladder.service';
import { TopicParticipationRepository } from './topic-participation.repository';
import { TopicsRepository } from './topics.repository';
import { TopicsService } from './topics.service';

/**
 * Stances on a topic in deliberation: one per person, which may change; the counts on the
 * topic move with it, and taking one makes a person a participant.
 */
@Injectable()
export class TopicStancesService {
  constructor(
    private readonly topicRows: TopicsRepository,
    private readonly participation: TopicParticipationRepository,
    private readonly uow: UnitOfWork,
    private readonly ladder: LadderService,
    private readonly bans: BanCheck,
    private readonly topics: TopicsService,
  ) {}

  async setStance(auth: AuthUser, id: string, dto: StanceDto): Promise<TopicView> {
    await this.uow.run(async (work) => {
      const topic = await this.ladder.lock(work, id);
      if (!topic) throw Problem.notFound('Topic');
      if (topic.status !== 'deliberating') {
        throw Problem.conflict('topic_not_open', msg('topics.stance_deliberation_only'));
      }
      await this.bans.assertNotBanned(work.tx, topic.space_id, auth.id);
      const old = await this.participation.stanceOf(work.tx, id, auth.id);
      if (old === dto.stance) return;
      await this.participation.setStance(work.tx, id, auth.id, dto.stance);
      const c = await this.topicRows.moveStance(work.tx, id, dto.stance, old);
      work.emit(
        domainEvent('stance.changed', {
          topicId: id,
          spaceId: topic.space_id,
          counts: { for: c.stance_for, against: c.stance_against, neutral: c.stance_neutral },
        }),
      );
      await this.ladder.participate(work, topic, auth.id);
    });
    return this.topics.get(id, auth);
  }
}
