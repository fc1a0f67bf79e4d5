import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The official answer to a topic; never hidden. */
@Entity('topic_responses')
@Index('topic_responses_topic_idx', ['topicId'])
export class TopicResponse {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  topicId!: string;

  @Column('uuid')
  authorId!: string;

  /** The answering office, e.g. "서울시 도시재생과" or "facilitator". */
  @Column('varchar', { length: 100 })
  role!: string;

  @Column('text')
  body!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
