import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LOGGER } from '../core/logging/logging.module';
import { type Logger } from '../core/logging/logger';
import { type LiveSocketData, Rooms } from '../core/realtime/live-socket';
import { LiveServer } from '../core/realtime/live-server';

/** Presence is recounted and broadcast at most this often per room. */
export const PRESENCE_INTERVAL_MS = 2000;

/**
 * Who is in each room. Joins and leaves only mark a room as changed; every PRESENCE_INTERVAL_MS
 * a changed room is recounted across all nodes (through the adapter) and its count broadcast
 * to everyone, with the names to facilitators. A busy room therefore costs one count every
 * two seconds, not one broadcast per arrival.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnApplicationShutdown {
  private readonly dirty = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly live: LiveServer,
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), PRESENCE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  changed(roomId: string): void {
    this.dirty.add(roomId);
  }

  /** How many sockets are in the room across every node, and who (for facilitators). */
  async count(roomId: string): Promise<{
    count: number;
    users: { id: string; displayName: string; sockets: number }[];
    anonymous: number;
  }> {
    const sockets = await this.live.fetchSockets(Rooms.room(roomId));
    const users = new Map<string, { id: string; displayName: string; sockets: number }>();
    let anonymous = 0;
    for (const socket of sockets) {
      const user = (socket.data as LiveSocketData).user;
      if (!user) {
        anonymous++;
        continue;
      }
      const entry = users.get(user.id) ?? {
        id: user.id,
        displayName: user.displayName,
        sockets: 0,
      };
      entry.sockets++;
      users.set(user.id, entry);
    }
    return { count: users.size + anonymous, users: [...users.values()], anonymous };
  }

  async flush(): Promise<void> {
    const rooms = [...this.dirty];
    this.dirty.clear();
    for (const roomId of rooms) {
      try {
        const presence = await this.count(roomId);
        this.live.emit(Rooms.room(roomId), 'presence', { roomId, count: presence.count });
        this.live.emit(Rooms.roomModerators(roomId), 'presence:detail', { roomId, ...presence });
        await this.dataSource.query(
          `UPDATE rooms SET peak_presence = GREATEST(peak_presence, $2) WHERE id = $1`,
          [roomId, presence.count],
        );
      } catch (err) {
        // A node that does not answer the count (restarting) only delays this broadcast.
        this.logger.warn({ err, roomId }, 'presence count failed');
        this.dirty.add(roomId);
      }
    }
  }
}
