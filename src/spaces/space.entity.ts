import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * The threshold ladder of a space. `review` and `deliberation` count agrees on a proposal;
 * `response` counts participants in the deliberation. Windows are in days.
 */
export interface Thresholds {
  review: number;
  deliberation: number;
  response: number;
  proposalWindowDays: number;
  deliberationDays: number;
}

/** Democracy Seoul since March 2020: 50 → answer, 100 → deliberation, 1,000 → mayor. */
export const SEOUL_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  review: 50,
  deliberation: 100,
  response: 1000,
  proposalWindowDays: 30,
  deliberationDays: 30,
});

@Entity('spaces')
export class Space {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('varchar', { length: 64, unique: true })
  slug!: string;

  @Column('varchar', { length: 100 })
  name!: string;

  @Column('text', { default: '' })
  description!: string;

  @Column('jsonb')
  thresholds!: Thresholds;

  /** Exact origins (scheme://host[:port]) allowed to frame the widget and open its socket. */
  @Column('text', { array: true, default: () => "'{}'" })
  embedOrigins!: string[];

  /** Open reports that hide content pending review. */
  @Column('integer', { default: 3 })
  reportsToHide!: number;

  /** Set while the space is archived: readable, but no new topics or rooms, and unlisted. */
  @Column('timestamptz', { nullable: true })
  archivedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
