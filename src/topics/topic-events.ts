import { type EntityManager } from 'typeorm';
import { type TopicEventType } from './topic-event.entity';
import { TopicEventsRepository } from './topic-events.repository';
import { TopicsRepository } from './topics.repository';

/**
 * Appends a public event to a topic and returns its `seq` (TopicEventsRepository.append, which
 * holds the statements). For features that cannot inject the repository: moderation, which the
 * topics module itself imports.
 */
export async function appendTopicEvent(
  tx: EntityManager,
  topicId: string,
  type: TopicEventType,
  actorId: string | null,
  data: Record<string, unknown> = {},
): Promise<number> {
  const events = new TopicEventsRepository(tx.connection, new TopicsRepository(tx.connection));
  return events.append(tx, topicId, type, actorId, data);
}
