import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Problem } from '../core/http/problem';

/** Refuses writes by users banned from the space (an expired ban no longer counts). */
@Injectable()
export class BanCheck {
  async assertNotBanned(tx: EntityManager, spaceId: string, userId: string): Promise<void> {
    const rows: { until: Date | null }[] = await tx.query(
      `SELECT until FROM space_bans WHERE space_id = $1 AND user_id = $2 AND (until IS NULL OR until > now())`,
      [spaceId, userId],
    );
    const ban = rows[0];
    if (ban) throw bannedFromSpace(ban.until);
  }
}

/** The refusal of a user banned from a space (until `until`, or for good). */
export function bannedFromSpace(until: Date | null): Problem {
  return new Problem(
    403,
    'banned',
    until
      ? `You are banned from this space until ${until.toISOString()}.`
      : 'You are banned from this space.',
  );
}
