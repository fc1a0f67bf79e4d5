import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only record of every moderation and facilitation action, written in the same
 * transaction as the action. A database trigger refuses UPDATE and DELETE.
 */
@Entity('audit_log')
@Index('audit_log_space_id_idx', ['spaceId', 'id'])
@Index('audit_log_space_actor_idx', ['spaceId', 'actorId', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  /** Null for a site-wide action (an administrator's change of a global role). */
  @Column('uuid', { nullable: true })
  spaceId!: string | null;

  /** Null when the system acted (auto-hide, scheduler). */
  @Column('uuid', { nullable: true })
  actorId!: string | null;

  @Column('varchar', { length: 48 })
  action!: string;

  @Column('varchar', { length: 16 })
  targetType!:
    | 'comment'
    | 'topic'
    | 'user'
    | 'report'
    | 'space'
    | 'room'
    | 'question'
    | 'budget'
    | 'budget_heading'
    | 'budget_project'
    | 'budget_voter'
    | 'budget_paper';

  @Column('uuid')
  targetId!: string;

  @Column('text', { nullable: true })
  reason!: string | null;

  @Column('jsonb', { nullable: true })
  before!: Record<string, unknown> | null;

  @Column('jsonb', { nullable: true })
  after!: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
