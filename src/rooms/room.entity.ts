import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Space } from '../spaces/space.entity';
import { Topic } from '../topics/topic.entity';
import { User } from '../identity/users/user.entity';

import { ROOM_STATUSES, type RoomSettings, type RoomStatus } from '../protocol/views';

export { ROOM_STATUSES, type RoomSettings, type RoomStatus };

export const DEFAULT_ROOM_SETTINGS: Readonly<RoomSettings> = Object.freeze({
  chat: true,
  slowModeSeconds: 0,
  questions: true,
  approveQuestions: false,
  speakerSeconds: 120,
});

/** A live town hall (타운홀) attached to a topic: what is said in it is the topic's thread. */
@Entity('rooms')
@Index('rooms_status_idx', ['status', 'startsAt'])
@Index('rooms_topic_idx', ['topicId'])
// The speaker timer's question every second, answered from the few rooms with a speaker.
@Index('rooms_speaker_due_idx', ['speakerUntil'], { where: 'speaker_id IS NOT NULL' })
export class Room {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  topicId!: string;

  @ManyToOne(() => Topic, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id', foreignKeyConstraintName: 'rooms_topic_id_fk' })
  topic?: Topic;

  @Column('uuid')
  spaceId!: string;

  @ManyToOne(() => Space, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'space_id', foreignKeyConstraintName: 'rooms_space_id_fk' })
  space?: Space;

  @Column('varchar', { length: 200 })
  title!: string;

  @Column('varchar', { length: 12, default: 'scheduled' })
  status!: RoomStatus;

  @Column('jsonb')
  settings!: RoomSettings;

  /** Chat closed to everyone but facilitators. */
  @Column('boolean', { default: false })
  locked!: boolean;

  @Column('timestamptz', { nullable: true })
  startsAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  startedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  endedAt!: Date | null;

  @Column('uuid')
  createdBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'rooms_created_by_fk' })
  creator?: User;

  /** Last sequence number given to this room's events. */
  @Column('integer', { default: 0 })
  seq!: number;

  @Column('uuid', { nullable: true })
  pinnedCommentId!: string | null;

  /** The user who has the floor, and until when. */
  @Column('uuid', { nullable: true })
  speakerId!: string | null;

  @Column('timestamptz', { nullable: true })
  speakerUntil!: Date | null;

  @Column('integer', { default: 0 })
  peakPresence!: number;

  /** Totals of the ephemeral reactions, for the minutes. */
  @Column('jsonb', { default: () => "'{}'" })
  reactionTotals!: Record<string, number>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
