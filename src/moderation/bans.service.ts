import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { domainEvent } from '../core/events/domain-events';
import { UnitOfWork } from '../core/events/unit-of-work';
import { DEFAULT_LIMIT, type Page, type PageQuery, toPage } from '../core/http/pagination';
import { msg, Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { type GlobalRole } from '../identity/users/user.entity';
import { SpaceAccessService } from '../spaces/space-access.service';
import { AuditService } from './audit.service';
import { banInForce } from './bans.guard';
import { type BanDto, type BanView } from './dto/moderation.dto';
import { parseDateTime } from './dto/moderation-validators';
import { decodeTimeIdCursor, exactTime } from './keyset';
import { requireSpace } from './moderation-queries';

interface BanRow {
  space_id: string;
  user_id: string;
  user_name: string;
  reason: string;
  until: Date | null;
  banned_by: string;
  banned_by_name: string | null;
  created_at: Date;
  cursor_at: string;
}

const BAN_SELECT = `
  SELECT b.space_id, b.user_id, u.display_name AS user_name, b.reason, b.until, b.banned_by,
         bu.display_name AS banned_by_name, b.created_at, ${exactTime('b.created_at')} AS cursor_at
    FROM space_bans b
    JOIN users u ON u.id = b.user_id
    LEFT JOIN users bu ON bu.id = b.banned_by`;

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
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly access: SpaceAccessService,
    private readonly audit: AuditService,
  ) {}

  /** Sets or replaces the user's ban in the space. */
  ban(auth: AuthUser, spaceId: string, userId: string, dto: BanDto): Promise<BanView> {
    return this.uow.run(async (work) => {
      const { tx } = work;
      await requireSpace(tx, spaceId);
      await this.access.requireFacilitator(auth, spaceId, tx);
      const target = await this.lockUser(tx, userId);
      if (!target) throw Problem.notFound('User');
      if (userId === auth.id) throw Problem.conflict('conflict', msg('bans.self'));
      if (await this.access.isFacilitator({ ...target, displayName: '' }, spaceId, tx)) {
        throw Problem.conflict('conflict', msg('bans.staff'));
      }
      const until = dto.until ? parseDateTime(dto.until) : null;
      if (dto.commentId) {
        const own: unknown[] = await tx.query(
          `SELECT 1 FROM comments c JOIN topics t ON t.id = c.topic_id
            WHERE c.id = $1 AND c.author_id = $2 AND t.space_id = $3`,
          [dto.commentId, userId, spaceId],
        );
        if (own.length === 0) throw Problem.field('commentId', 'comment_not_author');
      }
      const previous: { reason: string; until: Date | null }[] = await tx.query(
        `SELECT reason, until FROM space_bans WHERE space_id = $1 AND user_id = $2`,
        [spaceId, userId],
      );
      await tx.query(
        `INSERT INTO space_bans (space_id, user_id, reason, until, banned_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (space_id, user_id) DO UPDATE
           SET reason = EXCLUDED.reason, until = EXCLUDED.until,
               banned_by = EXCLUDED.banned_by, created_at = now()`,
        [spaceId, userId, dto.reason, until, auth.id],
      );
      const before = previous[0];
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
      const rows: BanRow[] = await tx.query(
        `${BAN_SELECT} WHERE b.space_id = $1 AND b.user_id = $2`,
        [spaceId, userId],
      );
      return toBanView(rows[0]!);
    });
  }

  /** Lifts the ban; lifting a ban that does not exist is not an error (and not audited). */
  unban(auth: AuthUser, spaceId: string, userId: string): Promise<void> {
    return this.uow.run(async (work) => {
      const { tx } = work;
      await requireSpace(tx, spaceId);
      await this.access.requireFacilitator(auth, spaceId, tx);
      if (!(await this.lockUser(tx, userId))) return;
      const removed = await queryRows<{ reason: string; until: Date | null }>(
        tx,
        `DELETE FROM space_bans WHERE space_id = $1 AND user_id = $2 RETURNING reason, until`,
        [spaceId, userId],
      );
      const before = removed[0];
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
    const tx = this.dataSource.manager;
    await requireSpace(tx, spaceId);
    await this.access.requireFacilitator(auth, spaceId, tx);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const params: unknown[] = [spaceId, limit + 1];
    let after = '';
    if (query.cursor) {
      const [at, userId] = decodeTimeIdCursor(query.cursor);
      params.push(at, userId);
      after = 'AND (b.created_at, b.user_id) < ($3::timestamptz, $4::uuid)';
    }
    const rows: BanRow[] = await tx.query(
      `${BAN_SELECT}
        WHERE b.space_id = $1 AND ${banInForce('b')} ${after}
        ORDER BY b.created_at DESC, b.user_id DESC
        LIMIT $2`,
      params,
    );
    return toPage(rows, limit, toBanView, (row) => [row.cursor_at, row.user_id]);
  }

  /**
   * Locks the target's user row for the transaction: two bans of one user queue up (so each
   * audit row's `before` is the real previous state) and the role checked here cannot change
   * under us.
   */
  private async lockUser(
    tx: EntityManager,
    userId: string,
  ): Promise<{ id: string; role: GlobalRole } | undefined> {
    const rows: { id: string; role: GlobalRole }[] = await tx.query(
      `SELECT id, role FROM users WHERE id = $1 FOR NO KEY UPDATE`,
      [userId],
    );
    return rows[0];
  }
}
