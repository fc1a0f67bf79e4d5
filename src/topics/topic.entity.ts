import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Space } from '../spaces/space.entity';
import { User } from '../identity/users/user.entity';

import { TOPIC_STATUSES, type TopicStatus } from './topic-status';

export { TOPIC_STATUSES, type TopicStatus };

/** How far up the ladder a topic has climbed: 0 none, 1 review, 2 deliberation, 3 response. */
export type Rung = 0 | 1 | 2 | 3;

@Entity('topics')
@Index('topics_space_status_created_idx', ['spaceId', 'status', 'createdAt'])
@Index('topics_space_agrees_idx', ['spaceId', 'agreeCount'])
@Index('topics_space_activity_idx', ['spaceId', 'lastActivityAt'])
// The deadline scheduler's two questions, answered without scanning every topic.
@Index('topics_proposal_due_idx', ['proposalExpiresAt'], { where: `status = 'proposed'` })
@Index('topics_deliberation_due_idx', ['closesAt'], { where: `status = 'deliberating'` })
export class Topic {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  spaceId!: string;

  @ManyToOne(() => Space, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'space_id', foreignKeyConstraintName: 'topics_space_id_fk' })
  space?: Space;

  @Column('uuid')
  authorId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'topics_author_id_fk' })
  author?: User;

  @Column('varchar', { length: 200 })
  title!: string;

  @Column('text')
  body!: string;

  @Column('text', { array: true, default: () => "'{}'" })
  tags!: string[];

  /** `project`: the discussion thread of a participatory-budget project (kept off the topic list). */
  @Column('varchar', { length: 16, default: 'topic' })
  kind!: 'topic' | 'project';

  @Column('varchar', { length: 16, default: 'proposed' })
  status!: TopicStatus;

  @Column('smallint', { default: 0 })
  rung!: Rung;

  @Column('integer', { default: 0 })
  agreeCount!: number;

  @Column('integer', { default: 0 })
  commentCount!: number;

  /** Distinct users who commented, agreed or took a stance while the topic was deliberating. */
  @Column('integer', { default: 0 })
  participantCount!: number;

  @Column('integer', { default: 0 })
  stanceFor!: number;

  @Column('integer', { default: 0 })
  stanceAgainst!: number;

  @Column('integer', { default: 0 })
  stanceNeutral!: number;

  /** Last sequence number given to this topic's public events (timeline and live stream). */
  @Column('integer', { default: 0 })
  seq!: number;

  @Column('timestamptz')
  proposalExpiresAt!: Date;

  @Column('timestamptz', { nullable: true })
  deliberationOpenedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  closesAt!: Date | null;

  @Column('text', { nullable: true })
  rejectedReason!: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  lastActivityAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
