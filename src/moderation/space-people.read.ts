import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { decodeKeyset } from '../core/http/pagination';
import { banInForce } from './bans.repository';

export interface PersonRow {
  id: string;
  display_name: string;
  email: string;
  banned: boolean;
}

/** A person of a page, with the rank of the name (0 exact, 1 leading, 2 elsewhere). */
export type RankedPersonRow = PersonRow & { rank: number };

/**
 * The users (`u`) whose name matches ($2) and who took part in the space ($1), with whether
 * they are banned from it now.
 */
const PEOPLE = `SELECT u.id, u.display_name, u.email,
              EXISTS (SELECT 1 FROM space_bans b
                       WHERE b.space_id = $1 AND b.user_id = u.id AND ${banInForce('b')}) AS banned`;
const TOOK_PART = `FROM users u
        WHERE u.display_name ILIKE $2
          AND (EXISTS (SELECT 1 FROM topics t WHERE t.space_id = $1 AND t.author_id = u.id)
            OR EXISTS (SELECT 1 FROM comments c JOIN topics t ON t.id = c.topic_id
                        WHERE t.space_id = $1 AND c.author_id = u.id)
            OR EXISTS (SELECT 1 FROM room_questions rq JOIN rooms r ON r.id = rq.room_id
                        WHERE r.space_id = $1 AND rq.author_id = u.id)
            OR EXISTS (SELECT 1 FROM room_speeches rs JOIN rooms r ON r.id = rs.room_id
                        WHERE r.space_id = $1 AND rs.user_id = u.id)
            OR EXISTS (SELECT 1 FROM room_hands rh JOIN rooms r ON r.id = rh.room_id
                        WHERE r.space_id = $1 AND rh.user_id = u.id))`;

/** `q` as an ILIKE pattern matching it anywhere, `%`, `_` and `\` in it taken literally. */
const containing = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Reads only: the people of a space — whoever proposed a topic in it, commented on one of its
 * topics (room chat included), asked a question in one of its rooms, or raised a hand or spoke
 * there — found by part of their display name. It joins the users', topics', comments' and
 * rooms' tables only to find and show them; each of those tables has its own repository.
 * The comments' check per matching name rests on `comments_author_created_idx`.
 */
@Injectable()
export class SpacePeopleRead {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit` people whose display name contains `q` (matched literally), closest first. */
  async search(spaceId: string, q: string, limit: number): Promise<PersonRow[]> {
    const like = containing(q);
    // Names first (a name match is few rows), then whether each took part in the space; the
    // closest names lead: an exact name, then a name that starts with the query.
    return queryRows<PersonRow>(
      this.dataSource.manager,
      `${PEOPLE}
         ${TOOK_PART}
        ORDER BY lower(u.display_name) = lower($3) DESC,
                 lower(u.display_name) LIKE lower($4) DESC,
                 u.display_name, u.id
        LIMIT $5`,
      [spaceId, like, q, `${like.slice(1)}`, limit],
    );
  }

  /**
   * `limit + 1` people in the order of `search` (an exact name, then a leading one, then by
   * name and id), after the cursor: a `[rank, name, id]` keyset, the rank being that order's
   * first two keys as one number.
   */
  async page(
    spaceId: string,
    q: string,
    limit: number,
    cursor?: string,
  ): Promise<RankedPersonRow[]> {
    const like = containing(q);
    const params: unknown[] = [spaceId, like, q, `${like.slice(1)}`, limit + 1];
    let after = '';
    if (cursor) {
      params.push(...decodeKeyset(cursor, ['int', 'text', 'uuid']));
      after = 'WHERE (p.rank, p.display_name, p.id) > ($6::int, $7::text, $8::uuid)';
    }
    return queryRows<RankedPersonRow>(
      this.dataSource.manager,
      `SELECT p.* FROM (
         ${PEOPLE},
                CASE WHEN lower(u.display_name) = lower($3) THEN 0
                     WHEN lower(u.display_name) LIKE lower($4) THEN 1 ELSE 2 END AS rank
           ${TOOK_PART}
       ) p
       ${after}
       ORDER BY p.rank, p.display_name, p.id
       LIMIT $5`,
      params,
    );
  }
}
