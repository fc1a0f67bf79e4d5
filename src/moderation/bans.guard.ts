import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { msg, Problem } from '../core/http/problem';
import { BansRepository } from './bans.repository';

// The SQL fragments live with the table's repository; other features import them from here.
export { banInForce, spaceBanInForce } from './bans.repository';

/** Refuses writes by users banned from the space (an expired ban no longer counts). */
@Injectable()
export class BanCheck {
  constructor(private readonly bans: BansRepository) {}

  async assertNotBanned(tx: EntityManager, spaceId: string, userId: string): Promise<void> {
    const ban = await this.bans.inForce(tx, spaceId, userId);
    if (ban) throw bannedFromSpace(ban.until);
  }
}

/** The refusal of a user banned from a space (until `until`, or for good). */
export function bannedFromSpace(until: Date | null): Problem {
  return new Problem(403, 'banned', until ? msg('bans.space_until', { until }) : msg('bans.space'));
}
