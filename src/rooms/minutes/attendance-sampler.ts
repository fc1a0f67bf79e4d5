import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LOGGER } from '../../core/logging/logging.module';
import { type Logger } from '../../core/logging/logger';
import { LiveServer } from '../../core/realtime/live-server';
import { Rooms } from '../../core/realtime/live-socket';
import { RoomsRepository } from '../rooms.repository';
import { RoomAttendanceRepository } from './room-attendance.repository';

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
    private readonly rooms: RoomsRepository,
    private readonly attendance: RoomAttendanceRepository,
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
      const rooms = await this.rooms.liveIds();
      const counts = rooms
        .map((roomId) => ({ roomId, count: this.live.localPresence(Rooms.room(roomId)) }))
        .filter((r) => r.count > 0);
      if (counts.length === 0) return;
      await this.attendance.record(this.node, counts);
    } catch (err) {
      // A missed minute only leaves a gap in the chart.
      this.logger.warn({ err }, 'attendance sample failed');
    }
  }
}
