import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LOGGER } from '../../core/logging/logging.module';
import { type Logger } from '../../core/logging/logger';
import { LiveServer } from '../../core/realtime/live-server';
import { Rooms } from '../../core/realtime/live-socket';

export const ATTENDANCE_INTERVAL_MS = 60_000;

/**
 * Once a minute each node writes how many are in each of its live rooms (its own count, no
 * cross-node call), so the minutes can draw attendance over time: a minute's attendance is
 * the sum over the nodes that counted it.
 */
@Injectable()
export class AttendanceSampler implements OnModuleInit, OnApplicationShutdown {
  private readonly node = randomUUID();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly live: LiveServer,
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sample(), ATTENDANCE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Writes this node's count of every live room it has people in, for the current minute. */
  async sample(): Promise<void> {
    try {
      const rooms: { id: string }[] = await this.dataSource.query(
        `SELECT id FROM rooms WHERE status = 'live'`,
      );
      const counts = rooms
        .map((r) => ({ id: r.id, count: this.live.localPresence(Rooms.room(r.id)) }))
        .filter((r) => r.count > 0);
      if (counts.length === 0) return;
      await this.dataSource.query(
        `INSERT INTO room_attendance (room_id, at, node, count)
         SELECT id, date_trunc('minute', now()), $3, n FROM unnest($1::uuid[], $2::int[]) AS x(id, n)
         ON CONFLICT (room_id, at, node) DO UPDATE SET count = GREATEST(room_attendance.count, EXCLUDED.count)`,
        [counts.map((c) => c.id), counts.map((c) => c.count), this.node],
      );
    } catch (err) {
      // A missed minute only leaves a gap in the chart.
      this.logger.warn({ err }, 'attendance sample failed');
    }
  }
}
