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
 *
 * A join is answered from the last cluster-wide count, not a fresh one: asking every node for
 * every socket of the room on each join made a reconnect storm quadratic (2,000 clients
 * rejoining a room meant 2,000 cross-node fetches of up to 2,000 sockets each).
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnApplicationShutdown {
  private readonly dirty = new Set<string>();
  /** The last cluster-wide count of each room (from the latest recount). */
  private readonly lastCount = new Map<string, number>();
  /** A recount in flight per room, shared by the joins that arrive meanwhile. */
  private readonly counting = new Map<string, Promise<number>>();
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

  /**
   * The count a join answers with: the last cluster-wide count (at most PRESENCE_INTERVAL_MS
   * old while the room changes, since every change schedules a recount), or this node's own
   * count when that is higher (people who just arrived here). Only the first join of a room
   * on this node waits for a recount.
   */
  async joinCount(roomId: string): Promise<number> {
    const local = this.live.localPresence(Rooms.room(roomId));
    let cluster = this.lastCount.get(roomId);
    if (cluster === undefined) {
      let pending = this.counting.get(roomId);
      if (!pending) {
        pending = this.count(roomId)
          .then((p) => p.count)
          .finally(() => this.counting.delete(roomId));
        this.counting.set(roomId, pending);
      }
      cluster = await pending;
      this.lastCount.set(roomId, cluster);
    }
    return Math.max(cluster, local);
  }

  async flush(): Promise<void> {
    const rooms = [...this.dirty];
    this.dirty.clear();
    for (const roomId of rooms) {
      try {
        const presence = await this.count(roomId);
        if (presence.count === 0) this.lastCount.delete(roomId);
        else this.lastCount.set(roomId, presence.count);
        this.live.emit(Rooms.room(roomId), 'presence', { roomId, count: presence.count });
        this.live.emit(Rooms.roomModerators(roomId), 'presence:detail', { roomId, ...presence });
        await this.dataSource.query(
          // Only a new peak writes (and locks) the room row, which chat and seq also lock.
          `UPDATE rooms SET peak_presence = $2 WHERE id = $1 AND peak_presence < $2`,
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
