import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Topic } from './topic.entity';

export type TopicEventType =
  | 'created'
  | 'transitioned'
  | 'ladder_crossed'
  | 'answered'
  | 'comment_created'
  | 'comment_hidden'
  | 'comment_restored'
  | 'comment_deleted'
  | 'comment_edited';

/** Kinds shown on the public timeline; the others exist for live catch-up only. */
export const TIMELINE_TYPES: readonly TopicEventType[] = [
  'created',
  'transitioned',
  'ladder_crossed',
  'answered',
];

/**
 * One public event of a topic, numbered by `seq` (1, 2, 3, … per topic). The timeline reads
 * these rows; live clients later catch up from them after a reconnect.
 */
@Entity('topic_events')
@Index('topic_events_topic_seq_uq', ['topicId', 'seq'], { unique: true })
export class TopicEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid')
  topicId!: string;

  @ManyToOne(() => Topic, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id', foreignKeyConstraintName: 'topic_events_topic_id_fk' })
  topic?: Topic;

  @Column('integer')
  seq!: number;

  @Column('varchar', { length: 32 })
  type!: TopicEventType;

  @Column('uuid', { nullable: true })
  actorId!: string | null;

  @Column('jsonb', { default: () => "'{}'" })
  data!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
