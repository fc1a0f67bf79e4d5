import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

import { GLOBAL_ROLES, type GlobalRole } from '../../core/auth/auth-user';

export { GLOBAL_ROLES, type GlobalRole };

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored lower-cased and trimmed; unique. */
  @Column('varchar', { length: 254, unique: true })
  email!: string;

  @Column('text', { select: false })
  passwordHash!: string;

  @Column('varchar', { length: 50 })
  displayName!: string;

  @Column('varchar', { length: 16, default: 'citizen' })
  role!: GlobalRole;

  /** Bumped on logout and role changes: every token issued before it stops working. */
  @Column('integer', { default: 0 })
  tokenVersion!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
