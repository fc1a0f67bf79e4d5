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
    if (ban) {
      throw new Problem(
        403,
        'banned',
        ban.until
          ? `You are banned from this space until ${ban.until.toISOString()}.`
          : 'You are banned from this space.',
      );
    }
  }
}
