import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Space } from '../spaces/space.entity';
import { User } from '../identity/users/user.entity';

/** A user barred from posting, agreeing and reporting in one space, until `until` or for good. */
@Entity('space_bans')
export class SpaceBan {
  @PrimaryColumn('uuid')
  spaceId!: string;

  @ManyToOne(() => Space, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'space_id', foreignKeyConstraintName: 'space_bans_space_id_fk' })
  space?: Space;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'space_bans_user_id_fk' })
  user?: User;

  @Column('varchar', { length: 500 })
  reason!: string;

  @Column('timestamptz', { nullable: true })
  until!: Date | null;

  @Column('uuid')
  bannedBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
