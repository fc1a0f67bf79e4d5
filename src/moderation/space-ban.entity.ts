import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A user barred from posting, agreeing and reporting in one space, until `until` or for good. */
@Entity('space_bans')
export class SpaceBan {
  @PrimaryColumn('uuid')
  spaceId!: string;

  @PrimaryColumn('uuid')
  userId!: string;

  @Column('varchar', { length: 500 })
  reason!: string;

  @Column('timestamptz', { nullable: true })
  until!: Date | null;

  @Column('uuid')
  bannedBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
