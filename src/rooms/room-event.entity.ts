import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Room } from './room.entity';

/** Who may see a room event: everyone in the room, or its facilitators only. */
export type RoomAudience = 'all' | 'mod';

/**
 * One durable event of a room, numbered by `seq` (1, 2, 3, … per room). Live clients get it
 * pushed; a client that reconnects replays the ones it missed from here.
 */
@Entity('room_events')
@Index('room_events_room_seq_uq', ['roomId', 'seq'], { unique: true })
export class RoomEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid')
  roomId!: string;

  @ManyToOne(() => Room, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'room_events_room_id_fk' })
  room?: Room;

  @Column('integer')
  seq!: number;

  /** The client event name, e.g. `comment:new`, `question:update`, `room:state`. */
  @Column('varchar', { length: 32 })
  type!: string;

  @Column('varchar', { length: 4, default: 'all' })
  audience!: RoomAudience;

  @Column('jsonb', { default: () => "'{}'" })
  data!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
