import { Injectable } from '@nestjs/common';
import { type Work } from '../../core/events/unit-of-work';
import { msg, Problem } from '../../core/http/problem';
import { type AuthUser } from '../../identity/auth/auth-user';
import { RoomAccess } from '../room-access.service';
import { appendRoomEvent } from '../room-events';
import { type Room } from '../room.entity';

import { type ModActionEvent, type ModActionTarget, type RoomModAction } from '../../protocol/live';

export type { ModActionEvent, ModActionTarget, RoomModAction };

/** A room locked for a facilitator's action, and who acts. */
export interface ModScope {
  room: Room;
  actor: AuthUser;
}

/**
 * What every facilitator action in a room starts and ends with. It starts by locking the
 * room row (the lock order of room transactions: room, then comment, then topic) and
 * checking that the caller facilitates the room's space — before anything else is read or
 * written, so a refused caller changes nothing. It ends with the `mod:action` event on the
 * facilitators' channel, numbered with the room's other events, in the action's transaction.
 */
@Injectable()
export class RoomModActions {
  constructor(private readonly access: RoomAccess) {}

  async begin(work: Work, auth: AuthUser | undefined, roomId: string): Promise<ModScope> {
    if (!auth) throw Problem.unauthorized();
    const room = await this.access.load(roomId, work.tx, true);
    const actor = await this.access.requireFacilitator(auth, room, work.tx);
    if (room.status === 'ended') throw Problem.conflict('room_not_live', msg('rooms.ended'));
    return { room, actor };
  }

  async record(
    work: Work,
    { room, actor }: ModScope,
    action: RoomModAction,
    target: ModActionTarget,
    reason: string | null,
    details?: Record<string, unknown>,
  ): Promise<void> {
    const event: ModActionEvent = {
      action,
      actor: { id: actor.id, displayName: actor.displayName },
      target,
      reason,
      ...(details ? { details } : {}),
    };
    await appendRoomEvent(work, room, 'mod:action', { ...event }, 'mod');
  }
}
