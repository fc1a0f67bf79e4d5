import { isUuid } from '../core/uuid';
import { Injectable } from '@nestjs/common';
import { stripUndefined } from '../core/objects';
import { DataSource } from 'typeorm';
import { type Queryable } from '../core/database/sql';
import { UnitOfWork } from '../core/events/unit-of-work';
import { isForeignKeyViolation, isUniqueViolation } from '../core/database/errors';
import { DEFAULT_LIMIT, type Page, toPage } from '../core/http/pagination';
import { msg, Problem } from '../core/http/problem';
import { type AuthUser, isAdmin } from '../identity/auth/auth-user';
import { AuditService } from '../moderation/audit.service';
import { UsersRepository } from '../identity/users/users.repository';
import {
  type CreateSpaceDto,
  type FacilitatorView,
  type SpaceListQuery,
  type SpaceView,
  type ThresholdsDto,
  type UpdateSpaceDto,
} from './dto/space.dto';
import { SpaceAccessService } from './space-access.service';
import { SEOUL_THRESHOLDS, type Space, type Thresholds } from './space.entity';
import { SpacesRepository } from './spaces.repository';

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
    private readonly spaces: SpacesRepository,
    private readonly users: UsersRepository,
    private readonly access: SpaceAccessService,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthUser, dto: CreateSpaceDto): Promise<SpaceView> {
    this.access.requireAdmin(auth);
    try {
      // In a unit of work, so an Idempotency-Key is marked in the same commit as the space.
      const space = await this.uow.run(({ tx }) =>
        this.spaces.create(tx, {
          slug: dto.slug,
          name: dto.name,
          description: dto.description ?? '',
          thresholds: mergeThresholds(SEOUL_THRESHOLDS, dto.thresholds),
          embedOrigins: dedupe(dto.embedOrigins ?? []),
          reportsToHide: dto.reportsToHide ?? 3,
        }),
      );
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
    const includeArchived = query.includeArchived === 'true';
    if (includeArchived && (!auth || !isAdmin(auth)))
      throw Problem.forbidden(msg('access.admin_only'));
    const rows = await this.spaces.page(limit, includeArchived, query.cursor);
    const page = toPage(rows, limit, toSpaceView, (s) => [s.name, s.id]);
    return { ...page, items: await this.withCounts(page.items) };
  }

  async get(idOrSlug: string): Promise<SpaceView> {
    const [space] = await this.withCounts([toSpaceView(await this.find(idOrSlug))]);
    return space!;
  }

  /** What a reader sees of each space at a glance: its topics, the open ones, live rooms. */
  private async withCounts(spaces: SpaceView[]): Promise<SpaceView[]> {
    if (spaces.length === 0) return spaces;
    const rows = await this.spaces.counts(spaces.map((s) => s.id));
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
    const space = isUuid(idOrSlug)
      ? await this.spaces.findById(idOrSlug)
      : await this.spaces.findBySlug(idOrSlug.toLowerCase());
    if (!space) throw Problem.notFound('Space');
    return space;
  }

  async update(auth: AuthUser, id: string, dto: UpdateSpaceDto): Promise<SpaceView> {
    const updated = await this.dataSource.transaction(async (tx) => {
      const space = await this.spaces.lock(tx, id);
      if (!space) throw Problem.notFound('Space');
      await this.access.requireFacilitator(auth, id, tx);
      const before = settingsOf(space);
      if (dto.name !== undefined) space.name = dto.name;
      if (dto.description !== undefined) space.description = dto.description;
      if (dto.thresholds !== undefined)
        space.thresholds = mergeThresholds(space.thresholds, dto.thresholds);
      if (dto.embedOrigins !== undefined) space.embedOrigins = dedupe(dto.embedOrigins);
      if (dto.reportsToHide !== undefined) space.reportsToHide = dto.reportsToHide;
      const saved = await this.spaces.save(tx, space);
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
      const space = await this.spaces.lock(tx, id);
      if (!space) throw Problem.notFound('Space');
      if ((space.archivedAt !== null) === archived) return toSpaceView(space);
      const before = { archivedAt: space.archivedAt ? space.archivedAt.toISOString() : null };
      space.archivedAt = archived ? new Date() : null;
      const saved = await this.spaces.save(tx, space);
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
    const rows = await this.spaces.facilitators(spaceId);
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
      const user = await this.users.findById(userId, tx);
      if (!user) throw Problem.notFound('User');
      let inserted: boolean;
      try {
        inserted = await this.spaces.addFacilitator(tx, spaceId, userId, auth.id);
      } catch (error) {
        // The space or user was deleted between the checks and the insert.
        if (isForeignKeyViolation(error)) throw Problem.notFound('Space or user');
        throw error;
      }
      if (inserted) {
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
      const row = await this.spaces.facilitator(tx, spaceId, userId);
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
      if (!(await this.spaces.removeFacilitator(tx, spaceId, userId))) return;
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

  private async findIn(tx: Queryable, spaceId: string): Promise<void> {
    if (!(await this.spaces.exists(tx, spaceId))) throw Problem.notFound('Space');
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
