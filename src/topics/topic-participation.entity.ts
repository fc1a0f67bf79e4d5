import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Topic } from './topic.entity';
import { User } from '../identity/users/user.entity';

import { STANCES, type Stance } from '../protocol/views';

export { STANCES, type Stance };

/** A user's stance on a deliberating topic (one per user; may change). */
@Entity('topic_stances')
export class TopicStance {
  @PrimaryColumn('uuid')
  topicId!: string;

  @ManyToOne(() => Topic, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id', foreignKeyConstraintName: 'topic_stances_topic_id_fk' })
  topic?: Topic;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'topic_stances_user_id_fk' })
  user?: User;

  @Column('varchar', { length: 8 })
  stance!: Stance;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One row per distinct participant of a deliberation: the participant count stays exact. */
@Entity('topic_participants')
export class TopicParticipant {
  @PrimaryColumn('uuid')
  topicId!: string;

  @ManyToOne(() => Topic, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id', foreignKeyConstraintName: 'topic_participants_topic_id_fk' })
  topic?: Topic;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'topic_participants_user_id_fk' })
  user?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
