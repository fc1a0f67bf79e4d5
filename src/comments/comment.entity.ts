import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { type Stance } from '../topics/topic-participation.entity';

export const COMMENT_STATUSES = ['visible', 'hidden', 'deleted'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

@Entity('comments')
// Pages of top-level comments and of one comment's replies, in every sort order.
@Index('comments_topic_parent_created_idx', ['topicId', 'parentId', 'createdAt', 'id'])
@Index('comments_topic_parent_agrees_idx', ['topicId', 'parentId', 'agreeCount', 'id'])
@Index('comments_parent_created_idx', ['parentId', 'createdAt', 'id'])
export class Comment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  topicId!: string;

  @Column('uuid', { nullable: true })
  parentId!: string | null;

  @Column('smallint', { default: 0 })
  depth!: number;

  @Column('uuid')
  authorId!: string;

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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  editedAt!: Date | null;
}
