import { Injectable } from '@nestjs/common';
import { DEFAULT_LIMIT, decodeKeyset, type Page, toPage } from '../core/http/pagination';
import { Problem } from '../core/http/problem';
import { type Lang } from '../core/http/i18n/lang';
import { renderMessage } from '../core/http/i18n/localize';
import { type TimelineEntry, type TimelineQuery } from './dto/topic.dto';
import { causeMessage, causeOf } from './system-cause';
import { TIMELINE_TYPES } from './topic-event.entity';
import { TopicEventsRepository } from './topic-events.repository';
import { TopicsRepository } from './topics.repository';

/** A topic's public timeline: what happened to it, oldest first. */
@Injectable()
export class TopicTimelineService {
  constructor(
    private readonly topics: TopicsRepository,
    private readonly events: TopicEventsRepository,
  ) {}

  /**
   * The public timeline. A move the system made reads its `reason` in `lang`, and carries its
   * `cause` as data (older entries get it from the English they were written with).
   */
  async timeline(
    id: string,
    query: TimelineQuery,
    lang: Lang = 'ko',
  ): Promise<Page<TimelineEntry>> {
    if (!(await this.topics.exists(id))) throw Problem.notFound('Topic');
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = query.cursor ? Number(decodeKeyset(query.cursor, ['int'])[0]) : 0;
    const rows = await this.events.timeline(id, TIMELINE_TYPES, after, limit + 1);
    return toPage(
      rows,
      limit,
      (r) => {
        const cause = r.type === 'transitioned' ? causeOf(r.data, r.actor_id) : null;
        return {
          seq: r.seq,
          type: r.type,
          actor: r.actor_id ? { id: r.actor_id, displayName: r.actor_name ?? '' } : null,
          data: cause
            ? { ...r.data, cause, reason: renderMessage(causeMessage(cause), lang) }
            : r.data,
          createdAt: r.created_at.toISOString(),
        };
      },
      (r) => [r.seq],
    );
  }
}
