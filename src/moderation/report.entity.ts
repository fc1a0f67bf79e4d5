import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Comment } from '../comments/comment.entity';
import { Space } from '../spaces/space.entity';
import { User } from '../identity/users/user.entity';
import { HIDE_REPORT_REASONS } from '../protocol/hidden-reason';

// One list with the reviewed-hide codes (src/protocol/hidden-reason.ts), so they cannot drift.
export const REPORT_REASONS = HIDE_REPORT_REASONS;
export type ReportReason = (typeof REPORT_REASONS)[number];

@Entity('reports')
@Index('reports_comment_reporter_uq', ['commentId', 'reporterId'], { unique: true })
@Index('reports_space_status_created_idx', ['spaceId', 'status', 'createdAt'])
export class Report {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  spaceId!: string;

  @ManyToOne(() => Space, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'space_id', foreignKeyConstraintName: 'reports_space_id_fk' })
  space?: Space;

  @Column('uuid')
  topicId!: string;

  @Column('uuid')
  commentId!: string;

  @ManyToOne(() => Comment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id', foreignKeyConstraintName: 'reports_comment_id_fk' })
  comment?: Comment;

  @Column('uuid')
  reporterId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'reports_reporter_id_fk' })
  reporter?: User;

  @Column('varchar', { length: 16 })
  reason!: ReportReason;

  @Column('varchar', { length: 500, nullable: true })
  detail!: string | null;

  @Column('varchar', { length: 8, default: 'open' })
  status!: 'open' | 'resolved';

  @Column('varchar', { length: 8, nullable: true })
  resolution!: 'hide' | 'dismiss' | null;

  @Column('uuid', { nullable: true })
  resolvedBy!: string | null;

  @Column('timestamptz', { nullable: true })
  resolvedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
