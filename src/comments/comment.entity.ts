import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Room } from '../rooms/room.entity';
import { Topic } from '../topics/topic.entity';
import { User } from '../identity/users/user.entity';
import { type Stance } from '../topics/topic-participation.entity';

import { COMMENT_STATUSES, type CommentStatus } from '../protocol/views';

export { COMMENT_STATUSES, type CommentStatus };

@Entity('comments')
// Pages of top-level comments and of one comment's replies, in every sort order. The
// top-level ones are partial indexes: PostgreSQL cannot walk a (topic, parent, created)
// index in created order for `parent_id IS NULL`, but can walk (topic, created) where it holds.
@Index('comments_top_created_idx', ['topicId', 'createdAt', 'id'], { where: 'parent_id IS NULL' })
@Index('comments_top_agrees_idx', ['topicId', 'agreeCount', 'id'], { where: 'parent_id IS NULL' })
@Index('comments_parent_created_idx', ['parentId', 'createdAt', 'id'])
@Index('comments_parent_agrees_idx', ['parentId', 'agreeCount', 'id'])
@Index('comments_topic_idx', ['topicId'])
@Index('comments_room_idx', ['roomId', 'createdAt'])
export class Comment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  topicId!: string;

  @ManyToOne(() => Topic, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id', foreignKeyConstraintName: 'comments_topic_id_fk' })
  topic?: Topic;

  @Column('uuid', { nullable: true })
  parentId!: string | null;

  @ManyToOne(() => Comment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'comments_parent_id_fk' })
  parent?: Comment;

  @Column('smallint', { default: 0 })
  depth!: number;

  @Column('uuid')
  authorId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'comments_author_id_fk' })
  author?: User;

  @Column('text')
  body!: string;

  @Column('varchar', { length: 8, nullable: true })
  stance!: Stance | null;

  @Column('varchar', { length: 8, default: 'visible' })
  status!: CommentStatus;

  @Column('text', { nullable: true })
  hiddenReason!: string | null;

  @Column('integer', { default: 0 })
  agreeCount!: number;

  @Column('integer', { default: 0 })
  replyCount!: number;

  @Column('integer', { default: 0 })
  openReportCount!: number;

  /** Set when posted in a live room. */
  @Column('uuid', { nullable: true })
  roomId!: string | null;

  @ManyToOne(() => Room, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'comments_room_id_fk' })
  room?: Room;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  editedAt!: Date | null;
}
