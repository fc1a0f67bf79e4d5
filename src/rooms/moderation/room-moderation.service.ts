import { type LiveClientEvents, type RoomStateResult } from '../../protocol/live';
import { Injectable } from '@nestjs/common';
import { type CommentView } from '../../comments/comment.view';
import { UnitOfWork, type Work } from '../../core/events/unit-of-work';
import { msg, Problem, term } from '../../core/http/problem';
import { type AuthUser } from '../../identity/auth/auth-user';
import { AuditService } from '../../moderation/audit.service';
import {
  CommentModerationService,
  type ModeratedComment,
  stateOf,
} from '../../moderation/comment-moderation.service';
import { appendRoomEvent } from '../room-events';
import { type Room, type RoomSettings } from '../room.entity';
import { RoomsRepository } from '../rooms.repository';
import {
  type ModAnnounceDto,
  type ModCommentDto,
  type ModLockDto,
  type ModPinDto,
  type ModSlowModeDto,
  type ModUnpinDto,
} from './dto/room-moderation.dto';
import { RoomModActions, type ModScope } from './room-mod-actions';

export type { RoomStateResult } from '../../protocol/live';

export type AnnounceResult = LiveClientEvents['mod:announce']['ack'];

/**
 * A facilitator's actions on a room's messages and state: hide / restore, pin, announce,
 * slow mode and lock. Each is one transaction holding the change, its audit row, the room
 * event everyone sees and the facilitators' `mod:action`.
 */
@Injectable()
export class RoomModerationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly actions: RoomModActions,
    private readonly comments: CommentModerationService,
    private readonly audit: AuditService,
    private readonly rooms: RoomsRepository,
  ) {}

  /**
   * Hides a message with a public reason. Built from CommentModerationService's parts
   * rather than its `hide`, which commits on its own: here the hide, its audit row and topic
   * event, and the room's `comment:hidden` and `mod:action` commit together or not at all.
   */
  hide(auth: AuthUser | undefined, dto: ModCommentDto): Promise<{ comment: CommentView }> {
    return this.uow.run(async (work) => {
      const scope = await this.actions.begin(work, auth, dto.roomId);
      const comment = await this.lockComment(work, scope.room, dto.commentId);
      if (comment.status !== 'visible') {
        throw Problem.conflict(
          'conflict',
          msg('moderation.hide_not_visible', { status: term(comment.status) }),
        );
      }
      const before = stateOf(comment);
      await this.comments.setHidden(work, comment, dto.reason, scope.actor.id, {
        action: 'comment.hide',
        targetType: 'comment',
        targetId: comment.id,
        reason: dto.reason,
        before,
        extraAfter: { roomId: scope.room.id },
      });
      // The room's `comment:hidden` is appended by setHidden, as for every hide.
      await this.actions.record(work, scope, 'hide', commentTarget(comment), dto.reason);
      return { comment: await this.comments.view(work.tx, comment.id) };
    });
  }

  /** Brings a hidden message back; its open reports are dismissed with it (as over HTTP). */
  restore(auth: AuthUser | undefined, dto: ModCommentDto): Promise<{ comment: CommentView }> {
    return this.uow.run(async (work) => {
      const scope = await this.actions.begin(work, auth, dto.roomId);
      const comment = await this.lockComment(work, scope.room, dto.commentId);
      if (comment.status !== 'hidden') {
        throw Problem.conflict(
          'conflict',
          msg('moderation.restore_not_hidden', { status: term(comment.status) }),
        );
      }
      const before = stateOf(comment);
      const dismissed = await this.comments.resolveOpenReports(
        work.tx,
        comment,
        'dismiss',
        scope.actor.id,
      );
      await this.comments.setVisible(work, comment, scope.actor.id, {
        action: 'comment.restore',
        targetType: 'comment',
        targetId: comment.id,
        reason: dto.reason,
        before,
        extraAfter: { dismissedReports: dismissed.length, roomId: scope.room.id },
      });
      // The room's `comment:restored` is appended by setVisible, as for every restore.
      const view = await this.comments.view(work.tx, comment.id);
      await this.actions.record(work, scope, 'restore', commentTarget(comment), dto.reason);
      return { comment: view };
    });
  }

  /** Pins a visible message of the room's topic above the chat. */
  pin(auth: AuthUser | undefined, dto: ModPinDto): Promise<{ comment: CommentView }> {
    return this.uow.run(async (work) => {
      const scope = await this.actions.begin(work, auth, dto.roomId);
      const { room } = scope;
      const comment = await this.lockComment(work, room, dto.commentId);
      if (comment.status !== 'visible') {
        throw Problem.conflict(
          'conflict',
          msg('moderation.pin_not_visible', { status: term(comment.status) }),
        );
      }
      await this.rooms.pin(work.tx, room.id, comment.id);
      await this.audit.record(work.tx, {
        spaceId: room.spaceId,
        actorId: scope.actor.id,
        action: 'room.pin',
        targetType: 'room',
        targetId: room.id,
        before: { pinnedCommentId: room.pinnedCommentId },
        after: { pinnedCommentId: comment.id },
      });
      const view = await this.comments.view(work.tx, comment.id);
      await appendRoomEvent(work, room, 'comment:pinned', { comment: view });
      await this.actions.record(work, scope, 'pin', commentTarget(comment), null);
      return { comment: view };
    });
  }

  /** Takes the pinned message down; it stays in the chat. */
  unpin(auth: AuthUser | undefined, dto: ModUnpinDto): Promise<{ commentId: string }> {
    return this.uow.run(async (work) => {
      const scope = await this.actions.begin(work, auth, dto.roomId);
      const { room } = scope;
      const pinned = room.pinnedCommentId;
      if (!pinned) throw Problem.conflict('conflict', msg('rooms.nothing_pinned'));
      await this.rooms.unpin(work.tx, room.id);
      await this.audit.record(work.tx, {
        spaceId: room.spaceId,
        actorId: scope.actor.id,
        action: 'room.unpin',
        targetType: 'room',
        targetId: room.id,
        before: { pinnedCommentId: pinned },
        after: { pinnedCommentId: null },
      });
      await appendRoomEvent(work, room, 'comment:unpinned', { commentId: pinned });
      await this.actions.record(work, scope, 'unpin', { type: 'comment', id: pinned }, null);
      return { commentId: pinned };
    });
  }

  /** A notice from the facilitator to everyone in the room. */
  announce(auth: AuthUser | undefined, dto: ModAnnounceDto): Promise<AnnounceResult> {
    return this.uow.run(async (work) => {
      const scope = await this.actions.begin(work, auth, dto.roomId);
      const { room, actor } = scope;
      const by = { id: actor.id, displayName: actor.displayName };
      await this.audit.record(work.tx, {
        spaceId: room.spaceId,
        actorId: actor.id,
        action: 'room.announce',
        targetType: 'room',
        targetId: room.id,
        after: { body: dto.body },
      });
      await appendRoomEvent(work, room, 'room:announce', { body: dto.body, by });
      await this.actions.record(work, scope, 'announce', roomTarget(room), null, {
        body: dto.body,
      });
      return { body: dto.body, by };
    });
  }

  slowMode(auth: AuthUser | undefined, dto: ModSlowModeDto): Promise<RoomStateResult> {
    return this.uow.run(async (work) => {
      const scope = await this.actions.begin(work, auth, dto.roomId);
      const settings = { ...scope.room.settings, slowModeSeconds: dto.seconds };
      return this.changeState(work, scope, 'slowmode', settings, scope.room.locked, {
        slowModeSeconds: dto.seconds,
      });
    });
  }

  lock(auth: AuthUser | undefined, dto: ModLockDto): Promise<RoomStateResult> {
    return this.uow.run(async (work) => {
      const scope = await this.actions.begin(work, auth, dto.roomId);
      return this.changeState(work, scope, 'lock', scope.room.settings, dto.locked, {
        locked: dto.locked,
      });
    });
  }

  /** Writes settings and lock, then tells the room (`room:state`) and the facilitators. */
  private async changeState(
    work: Work,
    scope: ModScope,
    action: 'slowmode' | 'lock',
    settings: RoomSettings,
    locked: boolean,
    details: Record<string, unknown>,
  ): Promise<RoomStateResult> {
    const { room, actor } = scope;
    await this.rooms.setSettingsAndLock(work.tx, room.id, settings, locked);
    await this.audit.record(work.tx, {
      spaceId: room.spaceId,
      actorId: actor.id,
      action: action === 'lock' ? 'room.lock' : 'room.slowmode',
      targetType: 'room',
      targetId: room.id,
      before: { settings: room.settings, locked: room.locked },
      after: { settings, locked },
    });
    await appendRoomEvent(work, room, 'room:state', { status: room.status, settings, locked });
    await this.actions.record(work, scope, action, roomTarget(room), null, details);
    return { settings, locked };
  }

  /** A comment of the room's topic, locked; any other comment is not found from here. */
  private async lockComment(work: Work, room: Room, commentId: string): Promise<ModeratedComment> {
    const comment = await this.comments.lock(work.tx, commentId);
    if (comment.topicId !== room.topicId) throw Problem.notFound('Comment');
    return comment;
  }
}

const commentTarget = (comment: ModeratedComment): { type: 'comment'; id: string } => ({
  type: 'comment',
  id: comment.id,
});

const roomTarget = (room: Room): { type: 'room'; id: string } => ({ type: 'room', id: room.id });
