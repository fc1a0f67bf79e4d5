import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../../core/database/sql';

/** One node's count of one room in the current minute. */
export interface AttendanceSample {
  roomId: string;
  count: number;
}

/**
 * Every statement on `room_attendance`: each node's per-minute count of the people in each
 * live room, and the attendance over time the minutes draw from it.
 */
@Injectable()
export class RoomAttendanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Writes this node's counts for the current minute; a second sample of the same minute keeps
   * the higher count.
   */
  async record(node: string, samples: AttendanceSample[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO room_attendance (room_id, at, node, count)
         SELECT id, date_trunc('minute', now()), $3, n FROM unnest($1::uuid[], $2::int[]) AS x(id, n)
         ON CONFLICT (room_id, at, node) DO UPDATE SET count = GREATEST(room_attendance.count, EXCLUDED.count)`,
      [samples.map((s) => s.roomId), samples.map((s) => s.count), node],
    );
  }

  /** Each node's per-minute count, summed: attendance over time, oldest first. */
  async timeline(roomId: string): Promise<{ at: Date; count: number }[]> {
    return queryRows<{ at: Date; count: number }>(
      this.dataSource.manager,
      `SELECT at, sum(count)::int AS count FROM room_attendance WHERE room_id = $1
          GROUP BY at ORDER BY at`,
      [roomId],
    );
  }
}
