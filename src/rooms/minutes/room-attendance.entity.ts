import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Room } from '../room.entity';

/**
 * How many were in a live room on one node in one minute: each node writes its own count, so
 * a minute's attendance is the sum over nodes. The minutes draw attendance over time from it.
 */
@Entity('room_attendance')
export class RoomAttendance {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_room_attendance' })
  roomId!: string;

  @ManyToOne(() => Room, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'room_attendance_room_id_fk' })
  room?: Room;

  /** The minute (truncated). */
  @PrimaryColumn('timestamptz', { primaryKeyConstraintName: 'PK_room_attendance' })
  at!: Date;

  /** The node that counted (random per process). */
  @PrimaryColumn('varchar', { length: 36, primaryKeyConstraintName: 'PK_room_attendance' })
  node!: string;

  @Column('integer')
  count!: number;
}
