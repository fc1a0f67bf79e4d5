import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type RoomSanctionView } from '../../protocol/views';
import { domainEvent } from '../../core/events/domain-events';
import { UnitOfWork, type Work } from '../../core/events/unit-of-work';
import { msg, Problem, term } from '../../core/http/problem';
import { LOGGER } from '../../core/logging/logging.module';
import { type Logger } from '../../core/logging/logger';
import { LiveServer } from '../../core/realtime/live-server';
import { Rooms } from '../../core/realtime/live-socket';
import { type AuthUser } from '../../identity/auth/auth-user';
import { type GlobalRole } from '../../identity/users/user.entity';
import { AuditService } from '../../moderation/audit.service';
import { RoomAccess } from '../room-access.service';
import {
  MUTE_MINUTES_DEFAULT,
  type ModBanDto,
  type ModLiftDto,
  type ModMuteDto,
} from './dto/room-moderation.dto';
import { RoomModActions, type ModScope } from './room-mod-actions';
import { type PersonRow, RoomSanctionsRepository } from './room-sanctions.repository';

/**
 * The banned user is told (`you:banned`) before their sockets close; this pause lets the
 * notice through the adapter first. Well inside the 5 s in which every socket must be closed.
 */
export const BAN_DISCONNECT_DELAY_MS = 300;

interface Target {
  id: string;
  displayName: string;
  role: GlobalRole;
}

/** What an audit entry of a sanction is about. */
type SanctionKind = 'mute' | 'ban' | 'unmute' | 'unban';

interface SanctionState {
  mutedUntil: string | null;
  banned: boolean;
}

/**
 * Mutes and bans in a room. The sanction row is the rule — chat refuses a muted user and
 * `room:join` a banned one by reading it on every node, so both hold everywhere and after a
 * reconnect. The live side comes after the commit: the user's own sockets (on every node,
 * through their `user:<id>` room) are told, and a ban closes them.
 */
@Injectable()
export class RoomSanctionsService implements OnModuleDestroy {
  /** Sockets to close after a ban's notice, by timer, with the banned user's id. */
  private readonly pendingDisconnects = new Map<NodeJS.Timeout, string>();

  constructor(
    private readonly sanctions: RoomSanctionsRepository,
    private readonly uow: UnitOfWork,
    private readonly actions: RoomModActions,
    private readonly access: RoomAccess,
    private readonly audit: AuditService,
    private readonly live: LiveServer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleDestroy(): void {
    // Closing the server closes those sockets anyway.
    for (const timer of this.pendingDisconnects.keys()) clearTimeout(timer);
    this.pendingDisconnects.clear();
  }

  async mute(
    auth: AuthUser | undefined,
    dto: ModMuteDto,
  ): Promise<{ userId: string; mutedUntil: string }> {
    const minutes = dto.minutes ?? MUTE_MINUTES_DEFAULT;
    const { roomId, until } = await this.uow.run(async (work) => {
      const scope = await this.actions.begin(work, auth, dto.roomId);
      const target = await this.sanctionable(work, scope, dto.userId, 'mute');
      const before = await this.state(work, scope.room.id, target.id);
      const mutedUntil = (
        await this.sanctions.mute(
          work.tx,
          scope.room.id,
          target.id,
          minutes,
          dto.reason,
          scope.actor.id,
        )
      ).toISOString();
      await this.recordAudit(work, scope, target, 'mute', dto.reason, before, {
        mutedUntil,
        banned: before.banned,
      });
      await this.actions.record(work, scope, 'mute', userTarget(target), dto.reason, {
        until: mutedUntil,
        minutes,
      });
      work.emit(
        domainEvent('room.sanction', {
          roomId: scope.room.id,
          userId: target.id,
          kind: 'mute',
          until: mutedUntil,
        }),
      );
      return { roomId: scope.room.id, until: mutedUntil };
    });
    this.live.emit(Rooms.user(dto.userId), 'you:muted', { roomId, until, reason: dto.reason });
    return { userId: dto.userId, mutedUntil: until };
  }

  async ban(auth: AuthUser | undefined, dto: ModBanDto): Promise<{ userId: string; banned: true }> {
    const roomId = await this.uow.run(async (work) => {
      const scope = await this.actions.begin(work, auth, dto.roomId);
      const target = await this.sanctionable(work, scope, dto.userId, 'ban');
      const before = await this.state(work, scope.room.id, target.id);
      await this.sanctions.ban(work.tx, scope.room.id, target.id, dto.reason, scope.actor.id);
      await this.recordAudit(work, scope, target, 'ban', dto.reason, before, {
        mutedUntil: before.mutedUntil,
        banned: true,
      });
      await this.actions.record(work, scope, 'ban', userTarget(target), dto.reason);
      work.emit(
        domainEvent('room.sanction', {
          roomId: scope.room.id,
          userId: target.id,
          kind: 'ban',
          until: null,
        }),
      );
      return scope.room.id;
    });
    this.live.emit(Rooms.user(dto.userId), 'you:banned', { roomId, reason: dto.reason });
    // The adapter closes the user's sockets on every node; a new socket can connect, but
    // `room:join` (and every write in the room) refuses them from the sanction row.
    const timer = setTimeout(() => {
      this.pendingDisconnects.delete(timer);
      try {
        this.live.disconnect(Rooms.user(dto.userId));
      } catch (err) {
        this.logger.error({ err, roomId, userId: dto.userId }, 'banned user not disconnected');
      }
    }, BAN_DISCONNECT_DELAY_MS);
    this.pendingDisconnects.set(timer, dto.userId);
    return { userId: dto.userId, banned: true };
  }

  /**
   * Lifts a mute before it runs out. Refused (and nothing written) when the user is not muted
   * now. The user's own sockets hear `you:unmuted`.
   */
  async unmute(
    auth: AuthUser | undefined,
    dto: ModLiftDto,
  ): Promise<{ userId: string; mutedUntil: null }> {
    const roomId = await this.uow.run(async (work) => {
      const scope = await this.actions.begin(work, auth, dto.roomId);
      const target = await this.existing(work, dto.userId);
      const before = await this.state(work, scope.room.id, target.id);
      if (!before.mutedUntil || Date.parse(before.mutedUntil) <= Date.now()) {
        throw Problem.conflict('conflict', msg('rooms.not_muted'));
      }
      await this.sanctions.liftMute(work.tx, scope.room.id, target.id);
      await this.recordAudit(work, scope, target, 'unmute', dto.reason ?? null, before, {
        mutedUntil: null,
        banned: before.banned,
      });
      await this.actions.record(work, scope, 'unmute', userTarget(target), dto.reason ?? null);
      work.emit(
        domainEvent('room.sanction', {
          roomId: scope.room.id,
          userId: target.id,
          kind: 'unmute',
          until: null,
        }),
      );
      return scope.room.id;
    });
    this.live.emit(Rooms.user(dto.userId), 'you:unmuted', { roomId });
    return { userId: dto.userId, mutedUntil: null };
  }

  /** Lets a removed user back into the room. Refused when they were not removed. */
  async unban(
    auth: AuthUser | undefined,
    dto: ModLiftDto,
  ): Promise<{ userId: string; banned: false }> {
    await this.uow.run(async (work) => {
      const scope = await this.actions.begin(work, auth, dto.roomId);
      const target = await this.existing(work, dto.userId);
      const before = await this.state(work, scope.room.id, target.id);
      if (!before.banned) throw Problem.conflict('conflict', msg('rooms.not_banned'));
      await this.sanctions.liftBan(work.tx, scope.room.id, target.id);
      await this.recordAudit(work, scope, target, 'unban', dto.reason ?? null, before, {
        mutedUntil: before.mutedUntil,
        banned: false,
      });
      await this.actions.record(work, scope, 'unban', userTarget(target), dto.reason ?? null);
      work.emit(
        domainEvent('room.sanction', {
          roomId: scope.room.id,
          userId: target.id,
          kind: 'unban',
          until: null,
        }),
      );
    });
    // A ban lifted within moments of being set must not still close the sockets the user
    // reconnects with (on this node; another node's timer fires within 300 ms of its ban).
    for (const [timer, userId] of this.pendingDisconnects)
      if (userId === dto.userId) {
        clearTimeout(timer);
        this.pendingDisconnects.delete(timer);
      }
    return { userId: dto.userId, banned: false };
  }

  /** The sanctions in force in the room (mutes not yet run out, and removals), for its facilitators. */
  async list(auth: AuthUser | undefined, roomId: string): Promise<RoomSanctionView[]> {
    const room = await this.access.load(roomId);
    await this.access.requireFacilitator(auth, room);
    const rows = await this.sanctions.inForce(room.id);
    return rows.map((row) => ({
      user: { id: row.user_id, displayName: row.user_name },
      mutedUntil: row.muted_until ? row.muted_until.toISOString() : null,
      banned: row.banned,
      reason: row.reason,
      by: { id: row.by_id, displayName: row.by_name ?? '' },
      createdAt: row.created_at.toISOString(),
    }));
  }

  /** The user a sanction is lifted from; they exist. */
  private async existing(work: Work, userId: string): Promise<Target> {
    return toTarget(await this.sanctions.person(work.tx, userId));
  }

  /**
   * The user to sanction: they exist, and are neither the facilitator themself nor anyone
   * who runs the room (a facilitator of its space, or an admin).
   */
  private async sanctionable(
    work: Work,
    { room, actor }: ModScope,
    userId: string,
    kind: 'mute' | 'ban',
  ): Promise<Target> {
    const target = toTarget(await this.sanctions.person(work.tx, userId));
    if (target.id === actor.id)
      throw Problem.conflict('conflict', msg('rooms.sanction_self', { kind: term(kind) }));
    if (await this.access.isFacilitator(target, room, work.tx)) {
      throw Problem.conflict('conflict', msg('rooms.sanction_staff', { kind: term(kind) }));
    }
    return target;
  }

  private async state(work: Work, roomId: string, userId: string): Promise<SanctionState> {
    const row = await this.sanctions.lock(work.tx, roomId, userId);
    return {
      mutedUntil: row?.muted_until ? row.muted_until.toISOString() : null,
      banned: row?.banned ?? false,
    };
  }

  /** The audit entry of a sanction set or lifted: `room.<kind>`, its state before and after. */
  private recordAudit(
    work: Work,
    { room, actor }: ModScope,
    target: Target,
    kind: SanctionKind,
    reason: string | null,
    before: SanctionState,
    after: SanctionState,
  ): Promise<void> {
    return this.audit.record(work.tx, {
      spaceId: room.spaceId,
      actorId: actor.id,
      action: `room.${kind}`,
      targetType: 'user',
      targetId: target.id,
      reason,
      before: { roomId: room.id, ...before },
      after: { roomId: room.id, ...after },
    });
  }
}

/** The user read by id; not found when there is none. */
function toTarget(row: PersonRow | undefined): Target {
  if (!row) throw Problem.notFound('User');
  return { id: row.id, displayName: row.display_name, role: row.role };
}

const userTarget = (target: Target): { type: 'user'; id: string; displayName: string } => ({
  type: 'user',
  id: target.id,
  displayName: target.displayName,
});
