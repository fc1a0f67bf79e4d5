import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from '../identity/users/user.entity';
import { Room } from './room.entity';

import { QUESTION_STATUSES, type QuestionStatus } from '../protocol/views';

export { QUESTION_STATUSES, type QuestionStatus };

/** A question in a room's Q&A, upvoted once per user. */
@Entity('room_questions')
@Index('room_questions_room_idx', ['roomId', 'status', 'upvotes'])
export class RoomQuestion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  roomId!: string;

  @ManyToOne(() => Room, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'room_questions_room_id_fk' })
  room?: Room;

  @Column('uuid')
  authorId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'room_questions_author_id_fk' })
  author?: User;

  @Column('text')
  body!: string;

  @Column('varchar', { length: 12 })
  status!: QuestionStatus;

  @Column('boolean', { default: false })
  highlighted!: boolean;

  @Column('integer', { default: 0 })
  upvotes!: number;

  /** The comment an unanswered question became on the topic when the room ended. */
  @Column('uuid', { nullable: true })
  commentId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  answeredAt!: Date | null;
}

@Entity('room_question_votes')
export class RoomQuestionVote {
  @PrimaryColumn('uuid')
  questionId!: string;

  @ManyToOne(() => RoomQuestion, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'question_id',
    foreignKeyConstraintName: 'room_question_votes_question_id_fk',
  })
  question?: RoomQuestion;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'room_question_votes_user_id_fk' })
  user?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A raised hand in the speaking queue (발언 신청). */
@Entity('room_hands')
export class RoomHand {
  @PrimaryColumn('uuid')
  roomId!: string;

  @ManyToOne(() => Room, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'room_hands_room_id_fk' })
  room?: Room;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'room_hands_user_id_fk' })
  user?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  raisedAt!: Date;
}

/** Each time someone had the floor: the queue lets first-time speakers go first. */
@Entity('room_speeches')
@Index('room_speeches_room_user_idx', ['roomId', 'userId'])
export class RoomSpeech {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid')
  roomId!: string;

  @ManyToOne(() => Room, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'room_speeches_room_id_fk' })
  room?: Room;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'room_speeches_user_id_fk' })
  user?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  startedAt!: Date;
}

/** A participant muted in a room until `until`, or removed and barred from it (`banned`). */
@Entity('room_sanctions')
export class RoomSanction {
  @PrimaryColumn('uuid')
  roomId!: string;

  @ManyToOne(() => Room, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'room_sanctions_room_id_fk' })
  room?: Room;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'room_sanctions_user_id_fk' })
  user?: User;

  /** Muted until this time (null: not muted). */
  @Column('timestamptz', { nullable: true })
  mutedUntil!: Date | null;

  @Column('boolean', { default: false })
  banned!: boolean;

  @Column('varchar', { length: 500 })
  reason!: string;

  @Column('uuid')
  byId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
