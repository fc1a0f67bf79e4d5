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

/** An answer the institution owes because a rung was crossed, with its due date. */
@Entity('owed_answers')
@Index('owed_answers_topic_rung_uq', ['topicId', 'rung'], { unique: true })
export class OwedAnswer {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  topicId!: string;

  @ManyToOne(() => Topic, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id', foreignKeyConstraintName: 'owed_answers_topic_id_fk' })
  topic?: Topic;

  /** `review`: the department answers; `response`: the top official answers. */
  @Column('varchar', { length: 16 })
  rung!: 'review' | 'response';

  @Column('timestamptz')
  dueAt!: Date;

  @Column('timestamptz', { nullable: true })
  answeredAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
