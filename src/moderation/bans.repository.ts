import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';
import { afterTimeId, exactTime } from './keyset';

/** SQL: the `space_bans` row `alias` is in force (an expired ban no longer counts). */
export const banInForce = (alias: string): string =>
  `(${alias}.until IS NULL OR ${alias}.until > now())`;

/** SQL: joins `b`, the user's ban in force in the space (both given as SQL), or nulls. */
export const spaceBanInForce = (spaceId: string, userId: string): string =>
  `LEFT JOIN LATERAL (
     SELECT sb.user_id, sb.until FROM space_bans sb
      WHERE sb.space_id = ${spaceId} AND sb.user_id = ${userId} AND ${banInForce('sb')}
      LIMIT 1) b ON true`;

/** A ban with the names of the banned user and of who banned them. */
export interface BanRow {
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

/** What a ban says, as the audit log records it. */
export interface BanTerms {
  reason: string;
  until: Date | null;
}

const BAN_SELECT = `
  SELECT b.space_id, b.user_id, u.display_name AS user_name, b.reason, b.until, b.banned_by,
         bu.display_name AS banned_by_name, b.created_at, ${exactTime('b.created_at')} AS cursor_at
    FROM space_bans b
    JOIN users u ON u.id = b.user_id
    LEFT JOIN users bu ON bu.id = b.banned_by`;

/**
 * Every statement on `space_bans`: setting, replacing and lifting a ban, the check that refuses
 * a banned user, and the list of bans in force. Other features' repositories read bans in force
 * through `banInForce` / `spaceBanInForce`.
 */
@Injectable()
export class BansRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The user's ban in force in the space, if any. */
  async inForce(
    tx: Queryable,
    spaceId: string,
    userId: string,
  ): Promise<{ until: Date | null } | undefined> {
    const rows = await queryRows<{ until: Date | null }>(
      tx,
      `SELECT b.until FROM space_bans b WHERE b.space_id = $1 AND b.user_id = $2 AND ${banInForce('b')}`,
      [spaceId, userId],
    );
    return rows[0];
  }

  /** The user's ban in the space, expired or not. */
  async terms(tx: Queryable, spaceId: string, userId: string): Promise<BanTerms | undefined> {
    const rows = await queryRows<BanTerms>(
      tx,
      `SELECT reason, until FROM space_bans WHERE space_id = $1 AND user_id = $2`,
      [spaceId, userId],
    );
    return rows[0];
  }

  /** Sets the ban, or replaces the one the user has (which then starts now). */
  async upsert(
    tx: Queryable,
    ban: { spaceId: string; userId: string; reason: string; until: Date | null; bannedBy: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO space_bans (space_id, user_id, reason, until, banned_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (space_id, user_id) DO UPDATE
         SET reason = EXCLUDED.reason, until = EXCLUDED.until,
             banned_by = EXCLUDED.banned_by, created_at = now()`,
      [ban.spaceId, ban.userId, ban.reason, ban.until, ban.bannedBy],
    );
  }

  /** Lifts the ban; answers what it said, or undefined when there was none. */
  async remove(tx: Queryable, spaceId: string, userId: string): Promise<BanTerms | undefined> {
    const removed = await queryRows<BanTerms>(
      tx,
      `DELETE FROM space_bans WHERE space_id = $1 AND user_id = $2 RETURNING reason, until`,
      [spaceId, userId],
    );
    return removed[0];
  }

  async find(tx: Queryable, spaceId: string, userId: string): Promise<BanRow | undefined> {
    const rows = await queryRows<BanRow>(
      tx,
      `${BAN_SELECT} WHERE b.space_id = $1 AND b.user_id = $2`,
      [spaceId, userId],
    );
    return rows[0];
  }

  /** `limit + 1` bans in force (expired ones left out), most recent first, after the cursor. */
  async pageInForce(spaceId: string, limit: number, cursor?: string): Promise<BanRow[]> {
    const params: unknown[] = [spaceId, limit + 1];
    const after = afterTimeId(params, cursor, {
      time: 'b.created_at',
      id: 'b.user_id',
      order: 'DESC',
      lead: 'AND',
    });
    return queryRows<BanRow>(
      this.dataSource.manager,
      `${BAN_SELECT}
        WHERE b.space_id = $1 AND ${banInForce('b')} ${after}
        ORDER BY b.created_at DESC, b.user_id DESC
        LIMIT $2`,
      params,
    );
  }
}
