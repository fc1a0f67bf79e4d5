import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';
import { decodeKeyset } from '../core/http/pagination';
import { SpaceFacilitator } from './space-facilitator.entity';
import { Space } from './space.entity';

/** What a reader sees of a space at a glance: its topics, the open ones, live rooms. */
export interface SpaceCountsRow {
  id: string;
  topics: number;
  open: number;
  live: number;
}

/** A space a user facilitates, as their own page lists it. */
export interface FacilitatedSpaceRow {
  space_id: string;
  slug: string;
  name: string;
}

/**
 * Every statement on `spaces`, `space_facilitators`: spaces and their settings, archiving, the
 * embed origins, and who facilitates which space. Other features join `spaces` (thresholds,
 * report threshold) and `space_facilitators` (who to notify) only to read, in their own
 * repositories.
 */
@Injectable()
export class SpacesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A new space; a taken slug throws the unique violation for the caller to answer. */
  async create(
    tx: EntityManager,
    fields: Pick<
      Space,
      'slug' | 'name' | 'description' | 'thresholds' | 'embedOrigins' | 'reportsToHide'
    >,
  ): Promise<Space> {
    const spaces = tx.getRepository(Space);
    return spaces.save(spaces.create(fields));
  }

  /**
   * `limit + 1` spaces by name (then id), after the cursor; archived ones only when
   * `includeArchived`.
   */
  async page(limit: number, includeArchived: boolean, cursor?: string): Promise<Space[]> {
    const qb = this.dataSource
      .getRepository(Space)
      .createQueryBuilder('s')
      .orderBy('s.name', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .take(limit + 1);
    if (!includeArchived) qb.andWhere('s.archived_at IS NULL');
    if (cursor) {
      const [name, id] = decodeKeyset(cursor, ['text', 'uuid']);
      qb.andWhere('(s.name, s.id) > (:name, :id)', { name, id });
    }
    return qb.getMany();
  }

  /**
   * Each space's topics, open topics and live rooms: a read of the topics' and rooms' tables
   * kept here because it only shows counts on the space.
   */
  async counts(ids: string[]): Promise<SpaceCountsRow[]> {
    return queryRows<SpaceCountsRow>(
      this.dataSource.manager,
      `SELECT s.id,
              (SELECT count(*)::int FROM topics t WHERE t.space_id = s.id) AS topics,
              (SELECT count(*)::int FROM topics t WHERE t.space_id = s.id
                  AND t.status IN ('proposed', 'under_review', 'deliberating')) AS open,
              (SELECT count(*)::int FROM rooms r WHERE r.space_id = s.id AND r.status = 'live') AS live
         FROM unnest($1::uuid[]) AS s(id)`,
      [ids],
    );
  }

  async findById(id: string): Promise<Space | null> {
    return this.dataSource.getRepository(Space).findOneBy({ id });
  }

  async findBySlug(slug: string): Promise<Space | null> {
    return this.dataSource.getRepository(Space).findOneBy({ slug });
  }

  /** Reads the space and locks its row (FOR UPDATE) until the transaction ends. */
  async lock(tx: EntityManager, id: string): Promise<Space | null> {
    return tx.getRepository(Space).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async save(tx: EntityManager, space: Space): Promise<Space> {
    return tx.getRepository(Space).save(space);
  }

  /**
   * Whether the space is archived, holding it (FOR SHARE) as it is: an archive committing now
   * waits for the caller's transaction, or the caller waits for it. False for a space that does
   * not exist; the caller refuses that on its own.
   */
  async isArchivedHeld(tx: Queryable, id: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM spaces WHERE id = $1 AND archived_at IS NOT NULL FOR SHARE`,
      [id],
    );
    return rows.length > 0;
  }

  async exists(tx: Queryable, id: string): Promise<boolean> {
    const rows: unknown[] = await tx.query('SELECT 1 FROM spaces WHERE id = $1', [id]);
    return rows.length > 0;
  }

  /** Every origin any space allows to embed it. */
  async embedOrigins(): Promise<string[]> {
    const rows = await queryRows<{ origin: string }>(
      this.dataSource.manager,
      `SELECT DISTINCT unnest(embed_origins) AS origin FROM spaces`,
    );
    return rows.map((r) => r.origin);
  }

  async isFacilitator(tx: Queryable, spaceId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      'SELECT 1 FROM space_facilitators WHERE space_id = $1 AND user_id = $2',
      [spaceId, userId],
    );
    return rows.length > 0;
  }

  /** The space's facilitators with their users, the first granted first. */
  async facilitators(spaceId: string): Promise<SpaceFacilitator[]> {
    return this.dataSource
      .getRepository(SpaceFacilitator)
      .find({ where: { spaceId }, relations: { user: true }, order: { createdAt: 'ASC' } });
  }

  async facilitator(tx: EntityManager, spaceId: string, userId: string): Promise<SpaceFacilitator> {
    return tx.getRepository(SpaceFacilitator).findOneByOrFail({ spaceId, userId });
  }

  /** Grants the role unless the user has it; true when this call granted it. */
  async addFacilitator(
    tx: Queryable,
    spaceId: string,
    userId: string,
    grantedBy: string,
  ): Promise<boolean> {
    const inserted = await queryRows<{ user_id: string }>(
      tx,
      `INSERT INTO space_facilitators (space_id, user_id, granted_by) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING user_id`,
      [spaceId, userId, grantedBy],
    );
    return inserted.length > 0;
  }

  /** Takes the role away; true when the user had it. */
  async removeFacilitator(tx: Queryable, spaceId: string, userId: string): Promise<boolean> {
    const removed = await queryRows<{ user_id: string }>(
      tx,
      `DELETE FROM space_facilitators WHERE space_id = $1 AND user_id = $2 RETURNING user_id`,
      [spaceId, userId],
    );
    return removed.length > 0;
  }

  /** The spaces the user facilitates, by name. */
  async facilitatedBy(userId: string): Promise<FacilitatedSpaceRow[]> {
    return queryRows<FacilitatedSpaceRow>(
      this.dataSource.manager,
      `SELECT f.space_id, s.slug, s.name FROM space_facilitators f
         JOIN spaces s ON s.id = f.space_id
        WHERE f.user_id = $1 ORDER BY s.name`,
      [userId],
    );
  }
}
