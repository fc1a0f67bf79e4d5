import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const STANCES = ['for', 'against', 'neutral'] as const;
export type Stance = (typeof STANCES)[number];

/** A user's stance on a deliberating topic (one per user; may change). */
@Entity('topic_stances')
export class TopicStance {
  @PrimaryColumn('uuid')
  topicId!: string;

  @PrimaryColumn('uuid')
  userId!: string;

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

  @PrimaryColumn('uuid')
  userId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
