import { Injectable } from '@nestjs/common';
import { stripUndefined } from '../core/objects';
import { domainEvent } from '../core/events/domain-events';
import { UnitOfWork } from '../core/events/unit-of-work';
import { DEFAULT_LIMIT, type Page, toPage } from '../core/http/pagination';
import { msg, Problem, term } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { AuditService } from '../moderation/audit.service';
import { assertOpen } from '../topics/topic-lifecycle';
import { type CreateRoomDto, type ListRoomsQuery, type UpdateRoomDto } from './dto/room.dto';
import { PRESENCE_INTERVAL_MS, PresenceService } from './presence.service';
import { RoomAccess } from './room-access.service';
import { appendRoomEvent } from './room-events';
import { DEFAULT_ROOM_SETTINGS, type RoomStatus } from './room.entity';
import { toRoomView, type RoomView } from './room.view';
import { RoomsRepository } from './rooms.repository';

/** Rooms over HTTP: create, read, list, and the scheduled → live → ended lifecycle. */
@Injectable()
export class RoomsService {
  constructor(
    private readonly rooms: RoomsRepository,
    private readonly uow: UnitOfWork,
    private readonly access: RoomAccess,
    private readonly audit: AuditService,
    private readonly presence: PresenceService,
  ) {}

  async create(auth: AuthUser, topicId: string, dto: CreateRoomDto): Promise<RoomView> {
    const id = await this.uow.run(async (work) => {
      const topic = await this.rooms.topicForNewRoom(work.tx, topicId);
      if (!topic) throw Problem.notFound('Topic');
      await this.access.requireFacilitator(auth, { spaceId: topic.space_id }, work.tx);
      if (await this.rooms.spaceArchived(work.tx, topic.space_id))
        throw Problem.conflict('space_archived', msg('spaces.archived'));
      assertOpen(topic.status);
      const settings = { ...DEFAULT_ROOM_SETTINGS, ...stripUndefined(dto.settings ?? {}) };
      const roomId = await this.rooms.insert(work.tx, {
        topicId,
        spaceId: topic.space_id,
        title: dto.title,
        settings,
        startsAt: dto.startsAt ?? null,
        createdBy: auth.id,
      });
      await this.audit.record(work.tx, {
        spaceId: topic.space_id,
        actorId: auth.id,
        action: 'room.create',
        targetType: 'room',
        targetId: roomId,
        after: { title: dto.title, settings },
      });
      return roomId;
    });
    return this.get(id);
  }

  async get(id: string): Promise<RoomView> {
    return toRoomView(await this.access.load(id));
  }

  async list(query: ListRoomsQuery): Promise<Page<RoomView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const { rooms, createdKeys } = await this.rooms.page(query, limit);
    const page = toPage(rooms, limit, toRoomView, (room) => [
      createdKeys.get(room.id) ?? room.createdAt.toISOString(),
      room.id,
    ]);
    await Promise.all(
      page.items
        .filter((room) => room.status === 'live')
        .map(async (room) => {
          room.presence = await this.presenceOf(room.id);
        }),
    );
    return page;
  }

  private readonly presenceCache = new Map<string, { count: number; at: number }>();

  /**
   * How many are in a live room, for lists (the home page's "on air"): counted across nodes
   * at most every PRESENCE_INTERVAL_MS per room, so a busy home page costs no more than the
   * room's own presence broadcasts do.
   */
  private async presenceOf(roomId: string): Promise<number> {
    const cached = this.presenceCache.get(roomId);
    if (cached && Date.now() - cached.at < PRESENCE_INTERVAL_MS) return cached.count;
    const count = await this.presence.peek(roomId);
    if (this.presenceCache.size > 1000) this.presenceCache.clear();
    this.presenceCache.set(roomId, { count, at: Date.now() });
    return count;
  }

  /**
   * A facilitator renames a room or changes some of its settings (the rest are kept; a
   * `streamUrl` of null removes the stream). The room hears it as `room:state`, in order.
   */
  async update(auth: AuthUser, id: string, dto: UpdateRoomDto): Promise<RoomView> {
    await this.uow.run(async (work) => {
      const room = await this.access.load(id, work.tx, true);
      await this.access.requireFacilitator(auth, room, work.tx);
      const settings = { ...room.settings, ...stripUndefined(dto.settings ?? {}) };
      if (settings.streamUrl === null) delete settings.streamUrl;
      const title = dto.title ?? room.title;
      await this.rooms.updateTitleAndSettings(work.tx, id, title, settings);
      await appendRoomEvent(work, { id, spaceId: room.spaceId }, 'room:state', {
        status: room.status,
        settings,
        locked: room.locked,
        title,
      });
      await this.audit.record(work.tx, {
        spaceId: room.spaceId,
        actorId: auth.id,
        action: 'room.update',
        targetType: 'room',
        targetId: id,
        before: { title: room.title, settings: room.settings },
        after: { title, settings },
      });
    });
    return this.get(id);
  }

  start(auth: AuthUser, id: string): Promise<RoomView> {
    return this.move(auth, id, 'scheduled', 'live');
  }

  end(auth: AuthUser, id: string): Promise<RoomView> {
    return this.move(auth, id, 'live', 'ended');
  }

  private async move(
    auth: AuthUser,
    id: string,
    from: RoomStatus,
    to: RoomStatus,
  ): Promise<RoomView> {
    await this.uow.run(async (work) => {
      const room = await this.access.load(id, work.tx, true);
      await this.access.requireFacilitator(auth, room, work.tx);
      if (room.status !== from) {
        throw Problem.conflict(
          'illegal_transition',
          msg('rooms.illegal_transition', { status: term(room.status), to: term(to) }),
        );
      }
      await this.rooms.setStatus(work.tx, id, to);
      const ref = { id, spaceId: room.spaceId };
      await appendRoomEvent(work, ref, to === 'ended' ? 'room:ended' : 'room:state', {
        status: to,
        by: auth.id,
      });
      await this.audit.record(work.tx, {
        spaceId: room.spaceId,
        actorId: auth.id,
        action: to === 'live' ? 'room.start' : 'room.end',
        targetType: 'room',
        targetId: id,
        before: { status: from },
        after: { status: to },
      });
      if (to === 'ended')
        work.emit(
          domainEvent('room.ended', { roomId: id, spaceId: room.spaceId, topicId: room.topicId }),
        );
      else
        work.emit(
          domainEvent('room.started', {
            roomId: id,
            spaceId: room.spaceId,
            topicId: room.topicId,
            title: room.title,
          }),
        );
    });
    return this.get(id);
  }
}
