import { isUuid } from '../core/uuid';
import { Injectable } from '@nestjs/common';
import { stripUndefined } from '../core/objects';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { UnitOfWork } from '../core/events/unit-of-work';
import { isForeignKeyViolation, isUniqueViolation } from '../core/database/errors';
import { DEFAULT_LIMIT, decodeKeyset, type Page, toPage } from '../core/http/pagination';
import { msg, Problem } from '../core/http/problem';
import { type AuthUser, isAdmin } from '../identity/auth/auth-user';
import { AuditService } from '../moderation/audit.service';
import { User } from '../identity/users/user.entity';
import {
  type CreateSpaceDto,
  type FacilitatorView,
  type SpaceListQuery,
  type SpaceView,
  type ThresholdsDto,
  type UpdateSpaceDto,
} from './dto/space.dto';
import { SpaceAccessService } from './space-access.service';
import { SpaceFacilitator } from './space-facilitator.entity';
import { SEOUL_THRESHOLDS, Space, type Thresholds } from './space.entity';

export const toSpaceView = (space: Space): SpaceView => ({
  id: space.id,
  slug: space.slug,
  name: space.name,
  description: space.description,
  thresholds: { ...space.thresholds },
  embedOrigins: space.embedOrigins,
  reportsToHide: space.reportsToHide,
  archivedAt: space.archivedAt ? space.archivedAt.toISOString() : null,
  createdAt: space.createdAt.toISOString(),
  updatedAt: space.updatedAt.toISOString(),
});

/** Fills the ladder from `base` and checks that its rungs climb. */
export function mergeThresholds(base: Thresholds, patch: ThresholdsDto | undefined): Thresholds {
  const merged: Thresholds = { ...base, ...stripUndefined(patch ?? {}) };
  if (merged.deliberation < merged.review) {
    throw Problem.field('thresholds.deliberation', 'thresholds_order');
  }
  return merged;
}

@Injectable()
export class SpacesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: SpaceAccessService,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthUser, dto: CreateSpaceDto): Promise<SpaceView> {
    this.access.requireAdmin(auth);
    try {
      // In a unit of work, so an Idempotency-Key is marked in the same commit as the space.
      const space = await this.uow.run(({ tx }) => {
        const spaces = tx.getRepository(Space);
        return spaces.save(
          spaces.create({
            slug: dto.slug,
            name: dto.name,
            description: dto.description ?? '',
            thresholds: mergeThresholds(SEOUL_THRESHOLDS, dto.thresholds),
            embedOrigins: dedupe(dto.embedOrigins ?? []),
            reportsToHide: dto.reportsToHide ?? 3,
          }),
        );
      });
      return (await this.withCounts([toSpaceView(space)]))[0]!;
    } catch (error) {
      if (isUniqueViolation(error))
        throw Problem.conflict('slug_taken', msg('spaces.slug_taken', { slug: dto.slug }));
      throw error;
    }
  }

  /** Archived spaces are left out of the public list; an admin may ask for them too. */
  async list(query: SpaceListQuery, auth?: AuthUser): Promise<Page<SpaceView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const qb = this.dataSource
      .getRepository(Space)
      .createQueryBuilder('s')
      .orderBy('s.name', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .take(limit + 1);
    if (query.includeArchived === 'true') {
      if (!auth || !isAdmin(auth)) throw Problem.forbidden(msg('access.admin_only'));
    } else {
      qb.andWhere('s.archived_at IS NULL');
    }
    if (query.cursor) {
      const [name, id] = decodeKeyset(query.cursor, ['text', 'uuid']);
      qb.andWhere('(s.name, s.id) > (:name, :id)', { name, id });
    }
    const page = toPage(await qb.getMany(), limit, toSpaceView, (s) => [s.name, s.id]);
    return { ...page, items: await this.withCounts(page.items) };
  }

  async get(idOrSlug: string): Promise<SpaceView> {
    const [space] = await this.withCounts([toSpaceView(await this.find(idOrSlug))]);
    return space!;
  }

  /** What a reader sees of each space at a glance: its topics, the open ones, live rooms. */
  private async withCounts(spaces: SpaceView[]): Promise<SpaceView[]> {
    if (spaces.length === 0) return spaces;
    const rows: { id: string; topics: number; open: number; live: number }[] =
      await this.dataSource.query(
        `SELECT s.id,
                (SELECT count(*)::int FROM topics t WHERE t.space_id = s.id) AS topics,
                (SELECT count(*)::int FROM topics t WHERE t.space_id = s.id
                    AND t.status IN ('proposed', 'under_review', 'deliberating')) AS open,
                (SELECT count(*)::int FROM rooms r WHERE r.space_id = s.id AND r.status = 'live') AS live
           FROM unnest($1::uuid[]) AS s(id)`,
        [spaces.map((s) => s.id)],
      );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return spaces.map((space) => {
      const c = byId.get(space.id);
      return {
        ...space,
        counts: { topics: c?.topics ?? 0, open: c?.open ?? 0, live: c?.live ?? 0 },
      };
    });
  }

  async find(idOrSlug: string): Promise<Space> {
    const spaces = this.dataSource.getRepository(Space);
    const space = isUuid(idOrSlug)
      ? await spaces.findOneBy({ id: idOrSlug })
      : await spaces.findOneBy({ slug: idOrSlug.toLowerCase() });
    if (!space) throw Problem.notFound('Space');
    return space;
  }

  async update(auth: AuthUser, id: string, dto: UpdateSpaceDto): Promise<SpaceView> {
    const updated = await this.dataSource.transaction(async (tx) => {
      const spaces = tx.getRepository(Space);
      const space = await spaces.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!space) throw Problem.notFound('Space');
      await this.access.requireFacilitator(auth, id, tx);
      const before = settingsOf(space);
      if (dto.name !== undefined) space.name = dto.name;
      if (dto.description !== undefined) space.description = dto.description;
      if (dto.thresholds !== undefined)
        space.thresholds = mergeThresholds(space.thresholds, dto.thresholds);
      if (dto.embedOrigins !== undefined) space.embedOrigins = dedupe(dto.embedOrigins);
      if (dto.reportsToHide !== undefined) space.reportsToHide = dto.reportsToHide;
      const saved = await spaces.save(space);
      await this.audit.record(tx, {
        spaceId: id,
        actorId: auth.id,
        action: 'space.update',
        targetType: 'space',
        targetId: id,
        before,
        after: settingsOf(saved),
      });
      return toSpaceView(saved);
    });
    return (await this.withCounts([updated]))[0]!;
  }

  /**
   * Archives (`archived: true`) or brings back a space. Administrators only. Archiving keeps
   * everything readable; it stops new topics and rooms and takes the space off the list.
   * Setting the state it already has changes nothing and writes no audit row.
   */
  async setArchived(auth: AuthUser, id: string, archived: boolean): Promise<SpaceView> {
    this.access.requireAdmin(auth);
    const updated = await this.uow.run(async ({ tx }) => {
      const spaces = tx.getRepository(Space);
      const space = await spaces.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!space) throw Problem.notFound('Space');
      if ((space.archivedAt !== null) === archived) return toSpaceView(space);
      const before = { archivedAt: space.archivedAt ? space.archivedAt.toISOString() : null };
      space.archivedAt = archived ? new Date() : null;
      const saved = await spaces.save(space);
      await this.audit.record(tx, {
        spaceId: id,
        actorId: auth.id,
        action: archived ? 'space.archive' : 'space.restore',
        targetType: 'space',
        targetId: id,
        before,
        after: { archivedAt: saved.archivedAt ? saved.archivedAt.toISOString() : null },
      });
      return toSpaceView(saved);
    });
    return (await this.withCounts([updated]))[0]!;
  }

  async facilitators(auth: AuthUser, spaceId: string): Promise<FacilitatorView[]> {
    await this.find(spaceId);
    await this.access.requireFacilitator(auth, spaceId);
    const rows = await this.dataSource
      .getRepository(SpaceFacilitator)
      .find({ where: { spaceId }, relations: { user: true }, order: { createdAt: 'ASC' } });
    return rows.map((row) => ({
      spaceId: row.spaceId,
      userId: row.userId,
      displayName: row.user?.displayName ?? '',
      role: 'facilitator',
      grantedAt: row.createdAt.toISOString(),
    }));
  }

  /** Idempotent: granting twice leaves one role (and one audit row, for the first grant). */
  async grantFacilitator(
    auth: AuthUser,
    spaceId: string,
    userId: string,
  ): Promise<FacilitatorView> {
    this.access.requireAdmin(auth);
    return this.uow.run(async ({ tx }) => {
      await this.findIn(tx, spaceId);
      const user = await tx.getRepository(User).findOneBy({ id: userId });
      if (!user) throw Problem.notFound('User');
      let inserted: unknown[];
      try {
        inserted = await queryRows<{ user_id: string }>(
          tx,
          `INSERT INTO space_facilitators (space_id, user_id, granted_by) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING RETURNING user_id`,
          [spaceId, userId, auth.id],
        );
      } catch (error) {
        // The space or user was deleted between the checks and the insert.
        if (isForeignKeyViolation(error)) throw Problem.notFound('Space or user');
        throw error;
      }
      if (inserted.length > 0) {
        await this.audit.record(tx, {
          spaceId,
          actorId: auth.id,
          action: 'facilitator.grant',
          targetType: 'user',
          targetId: userId,
          before: null,
          after: { role: 'facilitator' },
        });
      }
      const row = await tx.getRepository(SpaceFacilitator).findOneByOrFail({ spaceId, userId });
      return {
        spaceId,
        userId,
        displayName: user.displayName,
        role: 'facilitator',
        grantedAt: row.createdAt.toISOString(),
      };
    });
  }

  /** Idempotent: revoking a role the user does not have is not an error (nor audited). */
  async revokeFacilitator(auth: AuthUser, spaceId: string, userId: string): Promise<void> {
    this.access.requireAdmin(auth);
    await this.uow.run(async ({ tx }) => {
      await this.findIn(tx, spaceId);
      const removed = await queryRows<{ user_id: string }>(
        tx,
        `DELETE FROM space_facilitators WHERE space_id = $1 AND user_id = $2 RETURNING user_id`,
        [spaceId, userId],
      );
      if (removed.length === 0) return;
      await this.audit.record(tx, {
        spaceId,
        actorId: auth.id,
        action: 'facilitator.revoke',
        targetType: 'user',
        targetId: userId,
        before: { role: 'facilitator' },
        after: null,
      });
    });
  }

  private async findIn(tx: EntityManager, spaceId: string): Promise<void> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM spaces WHERE id = $1`, [spaceId]);
    if (rows.length === 0) throw Problem.notFound('Space');
  }
}

/** What the audit log records of a space's settings. */
const settingsOf = (space: Space): Record<string, unknown> => ({
  name: space.name,
  description: space.description,
  thresholds: { ...space.thresholds },
  embedOrigins: [...space.embedOrigins],
  reportsToHide: space.reportsToHide,
});

const dedupe = (values: string[]): string[] => [...new Set(values)];
