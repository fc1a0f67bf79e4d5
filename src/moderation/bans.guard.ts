import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { msg, Problem } from '../core/http/problem';

/** SQL: the `space_bans` row `alias` is in force (an expired ban no longer counts). */
export const banInForce = (alias: string): string =>
  `(${alias}.until IS NULL OR ${alias}.until > now())`;

/** SQL: joins `b`, the user's ban in force in the space (both given as SQL), or nulls. */
export const spaceBanInForce = (spaceId: string, userId: string): string =>
  `LEFT JOIN LATERAL (
     SELECT sb.user_id, sb.until FROM space_bans sb
      WHERE sb.space_id = ${spaceId} AND sb.user_id = ${userId} AND ${banInForce('sb')}
      LIMIT 1) b ON true`;

/** Refuses writes by users banned from the space (an expired ban no longer counts). */
@Injectable()
export class BanCheck {
  async assertNotBanned(tx: EntityManager, spaceId: string, userId: string): Promise<void> {
    const rows: { until: Date | null }[] = await tx.query(
      `SELECT b.until FROM space_bans b WHERE b.space_id = $1 AND b.user_id = $2 AND ${banInForce('b')}`,
      [spaceId, userId],
    );
    const ban = rows[0];
    if (ban) throw bannedFromSpace(ban.until);
  }
}

/** The refusal of a user banned from a space (until `until`, or for good). */
export function bannedFromSpace(until: Date | null): Problem {
  return new Problem(403, 'banned', until ? msg('bans.space_until', { until }) : msg('bans.space'));
}
