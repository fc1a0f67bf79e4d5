import { type LiveClientEvents } from '../../protocol/live';
import { Injectable } from '@nestjs/common';
import { type CommentView } from '../../comments/comment.view';
import { CommentsService } from '../../comments/comments.service';
import { type Queryable } from '../../core/database/sql';
import { UnitOfWork } from '../../core/events/unit-of-work';
import { msg, Problem } from '../../core/http/problem';
import { type AuthUser } from '../../identity/auth/auth-user';
import { RoomAccess } from '../room-access.service';
import { appendRoomEventAt } from '../room-events';
import { type Room } from '../room.entity';
import { RoomsRepository } from '../rooms.repository';
import { type ChatSendDto } from './dto/chat.dto';
import { RoomMessagesRepository } from './room-messages.repository';

export type ChatSendResult = LiveClientEvents['chat:send']['ack'];

/**
 * Chat in a live room. A message is a comment of the room's topic (same validation, bans,
 * counts and topic events), tagged with the room, and its numbered `comment:new` room event
 * is written in the same transaction: a message is never in the thread without being in the
 * room's history, nor the other way round.
 */
@Injectable()
export class RoomChatService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly access: RoomAccess,
    private readonly comments: CommentsService,
    private readonly rooms: RoomsRepository,
    private readonly messages: RoomMessagesRepository,
  ) {}

  async send(auth: AuthUser | undefined, dto: ChatSendDto): Promise<ChatSendResult> {
    if (!auth) throw Problem.unauthorized(msg('auth.sign_in_to_chat'));
    const comment = await this.uow.run(async (work) => {
      // Slow mode must hold when one user sends many messages at once (several tabs, a
      // script): their messages to this room queue on this lock, so each one sees the one
      // before it committed. Other users and other rooms are not held up by it.
      await this.messages.lockSender(work.tx, dto.roomId, auth.id);
      // Everything is checked first without the room's lock (most refusals end here)…
      const room = await this.access.load(dto.roomId, work.tx);
      const facilitator = await this.access.isFacilitator(auth, room, work.tx);
      this.assertOpenTo(room, facilitator);
      await this.access.assertMayWrite(auth.id, room, work.tx);
      if (!facilitator) await this.assertSlowMode(work.tx, room, auth.id);

      // …then the room row is locked at the last moment the lock order allows (room, then, in
      // CommentsService, the topic), and what mod:lock, mod:slowmode, a mute, a ban or the end
      // of the room may have changed meanwhile is checked again under it: messages are
      // ordered exactly against those, and queue on the row only while they are written.
      let seq = 0;
      const created = await this.comments.create(
        auth,
        room.topicId,
        { body: dto.body, ...(dto.parentId ? { parentId: dto.parentId } : {}) },
        {
          roomId: room.id,
          work,
          beforeWrite: async () => {
            const locked = await this.rooms.lockForMessage(work.tx, room.id, auth.id);
            this.assertOpenTo(locked, facilitator);
            if (locked.sanctioned) await this.access.assertMayWrite(auth.id, room, work.tx);
            const slow = locked.settings.slowModeSeconds;
            if (!facilitator && slow !== room.settings.slowModeSeconds)
              await this.assertSlowMode(work.tx, { ...room, settings: locked.settings }, auth.id);
            seq = locked.seq;
          },
        },
      );
      if (seq === 0) throw new Error('chat message written without the room lock');
      // The author's own `myAgree` is not for everyone.
      const shared: CommentView = { ...created };
      delete shared.myAgree;
      await appendRoomEventAt(work, room, seq, 'comment:new', { comment: shared });
      return created;
    });
    return { comment };
  }

  /** The room is live, its chat open, and not locked unless one facilitates it. */
  private assertOpenTo(room: Pick<Room, 'status' | 'settings' | 'locked'>, facilitator: boolean) {
    this.access.assertLive(room);
    if (!room.settings.chat) throw Problem.conflict('chat_closed', msg('code.chat_closed'));
    if (room.locked && !facilitator) throw Problem.conflict('chat_locked', msg('code.chat_locked'));
  }

  /** One message per `slowModeSeconds` per person; the wait left is in the message. */
  private async assertSlowMode(tx: Queryable, room: Room, userId: string): Promise<void> {
    const seconds = room.settings.slowModeSeconds;
    if (!seconds || seconds <= 0) return;
    const wait = await this.messages.slowModeWait(tx, room.id, userId, seconds);
    if (wait !== undefined) {
      throw new Problem(
        429,
        'slow_mode',
        msg('rooms.slow_mode', { seconds, wait: Math.max(1, wait) }),
      );
    }
  }
}
