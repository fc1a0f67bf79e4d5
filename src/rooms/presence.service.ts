import {
  Inject,
  Injectable,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { EventBus } from '../core/events/event-bus';
import { LOGGER } from '../core/logging/logging.module';
import { type Logger } from '../core/logging/logger';
import { type LocalPresence, LiveServer } from '../core/realtime/live-server';
import { Rooms } from '../core/realtime/live-socket';
import { redisReady, RedisService } from '../core/redis/redis.module';
import { type PresenceDetail } from '../protocol/views';
import { RoomsRepository } from './rooms.repository';

/** Presence is recounted and broadcast at most this often per room. */
export const PRESENCE_INTERVAL_MS = 2000;
/**
 * How often a node recounts every room it has people in, even with nothing changed here: its
 * registry entry stays fresh, and a count that another node's death changed is corrected.
 */
export const PRESENCE_HEARTBEAT_MS = 5000;
/** An entry whose node has not said so for this long is a dead or frozen node's: ignored. */
export const PRESENCE_STALE_MS = 15_000;
/** A room's registry key outlives its last writer by this much (then Redis drops it). */
const KEY_TTL_MS = 60_000;
/**
 * How long someone may be gone from a room (every tab, every node) before they are taken as
 * having left it: a reload or a reconnect after a network change comes back well within it.
 */
export const DEPARTURE_GRACE_MS = 20_000;

/** Who is in a room across nodes (the `presence:detail` payload without its room). */
export type Presence = PresenceDetail;

/** A node's part of a room, as stored in the room's registry hash (field `n:<node>`). */
interface NodeEntry {
  users: [id: string, displayName: string, sockets: number][];
  anonymous: number;
}

const ROOM_PREFIX = Rooms.room('');

/**
 * Who is in each room, across nodes.
 *
 * Every node keeps its own members (LiveServer) and publishes them to a registry in Redis: one
 * hash per room, holding each node's members (`n:<node>`) and when that node wrote them
 * (`t:<node>`; every room is rewritten at least every PRESENCE_HEARTBEAT_MS). A room's count is the union of the
 * entries that are fresh — so a node that dies or freezes drops out within PRESENCE_STALE_MS,
 * and a node never waits for another to answer. The adapter's cluster-wide socket fetch did the
 * same job by asking every subscriber of the channel and waiting up to 5 s for all of them: one
 * wedged node, or another deployment on the same Redis, failed every first join of a room.
 *
 * Joins and leaves only mark a room as changed; every PRESENCE_INTERVAL_MS a changed room is
 * counted and its count broadcast to everyone, with the names to facilitators. A join is answered
 * at once from the last count (or this node's own, when higher): never from a fresh cluster read.
 * Without Redis (a single node) the count is the node's own; while Redis is down, too.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  /** Rooms whose people changed on this node: recounted and broadcast. */
  private readonly dirty = new Set<string>();
  /** Rooms recounted for freshness: broadcast only if the count moved. */
  private readonly refresh = new Set<string>();
  /** The last cluster-wide count of each room (from the latest recount on this node). */
  private readonly lastCount = new Map<string, number>();
  /** Rooms whose registry holds an entry of this node. */
  private readonly published = new Set<string>();
  /** The users of each room at its last recount here, to see who left. */
  private readonly seen = new Map<string, Set<string>>();
  /** People gone from a room, waiting out the grace: `<room>/<user>` → its timer. */
  private readonly departing = new Map<string, NodeJS.Timeout>();
  private readonly departureListeners: ((roomId: string, userId: string) => Promise<void>)[] = [];
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly live: LiveServer,
    private readonly rooms: RoomsRepository,
    private readonly redis: RedisService,
    private readonly bus: EventBus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), PRESENCE_INTERVAL_MS);
    this.timer.unref();
    if (this.redis.client) {
      this.heartbeat = setInterval(() => this.vouch(), PRESENCE_HEARTBEAT_MS);
      this.heartbeat.unref();
    }
  }

  /** Takes this node's entries out of the registry while Redis is still connected. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    for (const timer of this.departing.values()) clearTimeout(timer);
    this.departing.clear();
    const client = this.redis.client;
    if (!redisReady(client) || this.published.size === 0) return;
    const multi = client.multi();
    for (const roomId of this.published) multi.hDel(this.key(roomId), this.fields());
    await multi.exec().catch(() => undefined);
    this.published.clear();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
  }

  changed(roomId: string): void {
    this.dirty.add(roomId);
  }

  /**
   * Calls `listener` for each signed-in person who left a room and did not come back within
   * DEPARTURE_GRACE_MS (the speaking queue drops their hand). A node that saw them go calls it;
   * several may, so a listener must be idempotent.
   */
  onDeparture(listener: (roomId: string, userId: string) => Promise<void>): void {
    this.departureListeners.push(listener);
  }

  /**
   * The count a join answers with, at once: the last cluster-wide count (at most
   * PRESENCE_INTERVAL_MS old while the room changes, since every change schedules a recount),
   * or this node's own count when that is higher (people who just arrived here).
   */
  joinCount(roomId: string): number {
    const local = this.live.localPresence(Rooms.room(roomId));
    const last = this.lastCount.get(roomId);
    // A room new to this node: its first count goes out now rather than at the next interval.
    if (last === undefined) void this.flush();
    return Math.max(last ?? 0, local);
  }

  /** How many are in the room across every node, and who (for facilitators). */
  async count(roomId: string): Promise<Presence> {
    const own = this.live.localMembers(Rooms.room(roomId));
    const others = await this.exchange(roomId, own).catch((err: unknown) => {
      // Redis down: this node's own people are what it knows.
      this.logger.warn({ err, roomId }, 'presence registry unreachable; counting this node only');
      return [] as NodeEntry[];
    });
    return merge(own, others);
  }

  /**
   * How many are in a room across nodes, for a page that lists rooms: the registry as it is
   * (nothing written), merged with this node's own members. Without Redis, or while it is
   * down, this node's own.
   */
  async peek(roomId: string): Promise<number> {
    const own = this.live.localMembers(Rooms.room(roomId));
    const client = this.redis.client;
    if (!redisReady(client)) return merge(own, []).count;
    try {
      const all = (await client.hGetAll(this.key(roomId))) as Record<string, string>;
      return merge(own, this.fresh(all, this.fields()[0]).entries).count;
    } catch {
      return merge(own, []).count;
    }
  }

  /** Counts and broadcasts the changed rooms; never two passes at once. */
  flush(): Promise<void> {
    this.flushing ??= this.recount().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async recount(): Promise<void> {
    const changed = new Set(this.dirty);
    const rooms = new Set([...this.dirty, ...this.refresh]);
    this.dirty.clear();
    this.refresh.clear();
    for (const roomId of rooms) {
      try {
        const presence = await this.count(roomId);
        this.watchDepartures(roomId, presence);
        const before = this.lastCount.get(roomId) ?? 0;
        if (presence.count === 0) this.lastCount.delete(roomId);
        else this.lastCount.set(roomId, presence.count);
        if (!changed.has(roomId) && presence.count === before) continue;
        this.live.emit(Rooms.room(roomId), 'presence', { roomId, count: presence.count });
        this.live.emit(Rooms.roomModerators(roomId), 'presence:detail', { roomId, ...presence });
        await this.rooms.raisePeakPresence(roomId, presence.count);
      } catch (err) {
        this.logger.warn({ err, roomId }, 'presence count failed');
        this.dirty.add(roomId);
      }
    }
  }

  /** Starts the grace of everyone who was here at the last count and is not now. */
  private watchDepartures(roomId: string, presence: Presence): void {
    const now = new Set(presence.users.map((u) => u.id));
    for (const userId of this.seen.get(roomId) ?? []) {
      const key = `${roomId}/${userId}`;
      if (now.has(userId) || this.departing.has(key)) continue;
      const timer = setTimeout(() => void this.departed(roomId, userId), DEPARTURE_GRACE_MS);
      timer.unref();
      this.departing.set(key, timer);
    }
    for (const userId of now) {
      const key = `${roomId}/${userId}`;
      clearTimeout(this.departing.get(key));
      this.departing.delete(key);
    }
    if (now.size === 0) this.seen.delete(roomId);
    else this.seen.set(roomId, now);
  }

  /** The grace is over: if they are still not in the room anywhere, they have left. */
  private async departed(roomId: string, userId: string): Promise<void> {
    this.departing.delete(`${roomId}/${userId}`);
    try {
      const presence = await this.count(roomId);
      if (presence.users.some((u) => u.id === userId)) return;
      for (const listener of this.departureListeners) await listener(roomId, userId);
    } catch (err) {
      this.logger.warn({ err, roomId, userId }, 'departure not handled');
    }
  }

  /**
   * Writes this node's entry of the room (or removes it when nobody is here any more) and reads
   * the other nodes' fresh entries, in one round trip. Stale entries are removed on the way.
   */
  private async exchange(roomId: string, own: LocalPresence): Promise<NodeEntry[]> {
    const client = this.redis.client;
    if (!client) return [];
    if (!redisReady(client)) throw new Error('redis is not connected');
    const key = this.key(roomId);
    const [members, vouched] = this.fields();
    const multi = client.multi();
    if (own.users.length === 0 && own.anonymous === 0) {
      multi.hDel(key, [members, vouched]);
      this.published.delete(roomId);
    } else {
      const entry: NodeEntry = {
        users: own.users.map((u) => [u.id, u.displayName, u.sockets]),
        anonymous: own.anonymous,
      };
      multi.hSet(key, { [members]: JSON.stringify(entry), [vouched]: String(Date.now()) });
      multi.pExpire(key, KEY_TTL_MS);
      this.published.add(roomId);
    }
    multi.hGetAll(key);
    const replies = await multi.exec();
    const all = (replies.at(-1) ?? {}) as unknown as Record<string, string>;
    const { entries, stale } = this.fresh(all, members);
    if (stale.length > 0) client.hDel(key, stale).catch(() => undefined);
    return entries;
  }

  /** The other nodes' entries of a registry hash that are fresh, and the fields of stale ones. */
  private fresh(
    all: Record<string, string>,
    own: string,
  ): { entries: NodeEntry[]; stale: string[] } {
    const entries: NodeEntry[] = [];
    const stale: string[] = [];
    const now = Date.now();
    for (const [field, value] of Object.entries(all)) {
      if (!field.startsWith('n:') || field === own) continue;
      const node = field.slice(2);
      const at = Number(all[`t:${node}`]);
      if (!(now - at < PRESENCE_STALE_MS)) {
        stale.push(field, `t:${node}`);
        continue;
      }
      const entry = parseEntry(value);
      if (entry) entries.push(entry);
    }
    return { entries, stale };
  }

  /** Schedules a recount of every room this node has people in or an entry for. */
  private vouch(): void {
    for (const room of this.live.localRooms()) this.refresh.add(room.slice(ROOM_PREFIX.length));
    for (const roomId of this.published) this.refresh.add(roomId);
  }

  private key(roomId: string): string {
    return `${this.redis.prefix}presence:${roomId}`;
  }

  /** This node's two fields in a room's registry hash. */
  private fields(): [members: string, vouched: string] {
    return [`n:${this.bus.nodeId}`, `t:${this.bus.nodeId}`];
  }
}

function parseEntry(value: string): NodeEntry | undefined {
  try {
    const entry = JSON.parse(value) as NodeEntry;
    return Array.isArray(entry.users) && typeof entry.anonymous === 'number' ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** This node's members and the others' fresh entries: distinct users, plus anonymous viewers. */
function merge(own: LocalPresence, others: NodeEntry[]): Presence {
  const users = new Map<string, { id: string; displayName: string; sockets: number }>();
  for (const u of own.users) users.set(u.id, { ...u });
  let anonymous = own.anonymous;
  for (const entry of others) {
    anonymous += entry.anonymous;
    for (const [id, displayName, sockets] of entry.users) {
      const known = users.get(id);
      if (known) known.sockets += sockets;
      else users.set(id, { id, displayName, sockets });
    }
  }
  return { count: users.size + anonymous, users: [...users.values()], anonymous };
}
