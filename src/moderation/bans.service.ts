import { Injectable } from '@nestjs/common';
import { CommentsRepository } from '../comments/comments.repository';
import { domainEvent } from '../core/events/domain-events';
import { UnitOfWork } from '../core/events/unit-of-work';
import { DEFAULT_LIMIT, type Page, type PageQuery, toPage } from '../core/http/pagination';
import { msg, Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { UsersRepository } from '../identity/users/users.repository';
import { SpaceAccessService } from '../spaces/space-access.service';
import { AuditService } from './audit.service';
import { type BanRow, BansRepository } from './bans.repository';
import { type BanDto, type BanView } from './dto/moderation.dto';
import { parseDateTime } from './dto/moderation-validators';

const toBanView = (row: BanRow): BanView => ({
  spaceId: row.space_id,
  user: { id: row.user_id, displayName: row.user_name },
  reason: row.reason,
  until: row.until ? row.until.toISOString() : null,
  bannedBy: { id: row.banned_by, displayName: row.banned_by_name ?? '' },
  createdAt: row.created_at.toISOString(),
});

/** What the audit log records of a ban. */
const banState = (ban: { reason: string; until: Date | null }): Record<string, unknown> => ({
  reason: ban.reason,
  until: ban.until ? ban.until.toISOString() : null,
});

/**
 * Space bans: a banned user cannot post, agree or report in the space (see BanCheck) until
 * the ban ends or is lifted. Facilitators of the space (and admins) set and lift them.
 */
@Injectable()
export class BansService {
  constructor(
    private readonly bans: BansRepository,
    private readonly users: UsersRepository,
    private readonly comments: CommentsRepository,
    private readonly uow: UnitOfWork,
    private readonly access: SpaceAccessService,
    private readonly audit: AuditService,
  ) {}

  /** Sets or replaces the user's ban in the space. */
  ban(auth: AuthUser, spaceId: string, userId: string, dto: BanDto): Promise<BanView> {
    return this.uow.run(async (work) => {
      const { tx } = work;
      await this.access.requireSpace(spaceId, tx);
      await this.access.requireFacilitator(auth, spaceId, tx);
      // The target's user row stays locked to the commit: two bans of one user queue up (so
      // each audit row's `before` is the real previous state) and the role checked here cannot
      // change under us.
      const target = await this.users.lockRole(tx, userId);
      if (!target) throw Problem.notFound('User');
      if (userId === auth.id) throw Problem.conflict('conflict', msg('bans.self'));
      if (await this.access.isFacilitator({ ...target, displayName: '' }, spaceId, tx)) {
        throw Problem.conflict('conflict', msg('bans.staff'));
      }
      const until = dto.until ? parseDateTime(dto.until) : null;
      if (dto.commentId) {
        const own = await this.comments.isByAuthorInSpace(tx, dto.commentId, userId, spaceId);
        if (!own) throw Problem.field('commentId', 'comment_not_author');
      }
      const before = await this.bans.terms(tx, spaceId, userId);
      await this.bans.upsert(tx, {
        spaceId,
        userId,
        reason: dto.reason,
        until,
        bannedBy: auth.id,
      });
      await this.audit.record(tx, {
        spaceId,
        actorId: auth.id,
        action: 'user.ban',
        targetType: 'user',
        targetId: userId,
        reason: dto.reason,
        before: before ? banState(before) : null,
        after: {
          ...banState({ reason: dto.reason, until }),
          ...(dto.commentId ? { commentId: dto.commentId } : {}),
        },
      });
      work.emit(
        domainEvent('user.banned', {
          spaceId,
          userId,
          until: until ? until.toISOString() : null,
          actorId: auth.id,
        }),
      );
      return toBanView((await this.bans.find(tx, spaceId, userId))!);
    });
  }

  /** Lifts the ban; lifting a ban that does not exist is not an error (and not audited). */
  unban(auth: AuthUser, spaceId: string, userId: string): Promise<void> {
    return this.uow.run(async (work) => {
      const { tx } = work;
      await this.access.requireSpace(spaceId, tx);
      await this.access.requireFacilitator(auth, spaceId, tx);
      if (!(await this.users.lockRole(tx, userId))) return;
      const before = await this.bans.remove(tx, spaceId, userId);
      if (!before) return;
      await this.audit.record(tx, {
        spaceId,
        actorId: auth.id,
        action: 'user.unban',
        targetType: 'user',
        targetId: userId,
        reason: null,
        before: banState(before),
        after: null,
      });
      work.emit(domainEvent('user.unbanned', { spaceId, userId, actorId: auth.id }));
    });
  }

  /** The bans in force (expired ones are left out), most recent first. */
  async list(auth: AuthUser, spaceId: string, query: PageQuery): Promise<Page<BanView>> {
    await this.access.requireSpace(spaceId);
    await this.access.requireFacilitator(auth, spaceId);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.bans.pageInForce(spaceId, limit, query.cursor);
    return toPage(rows, limit, toBanView, (row) => [row.cursor_at, row.user_id]);
  }
}
