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
import { User } from '../identity/users/user.entity';

/** The official answer to a topic; never hidden. */
@Entity('topic_responses')
@Index('topic_responses_topic_idx', ['topicId'])
export class TopicResponse {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  topicId!: string;

  @ManyToOne(() => Topic, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id', foreignKeyConstraintName: 'topic_responses_topic_id_fk' })
  topic?: Topic;

  @Column('uuid')
  authorId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'topic_responses_author_id_fk' })
  author?: User;

  /** The answering office, e.g. "서울시 도시재생과" or "facilitator". */
  @Column('varchar', { length: 100 })
  role!: string;

  @Column('text')
  body!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
