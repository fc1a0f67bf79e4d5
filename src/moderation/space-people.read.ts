import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { banInForce } from './bans.repository';

export interface PersonRow {
  id: string;
  display_name: string;
  email: string;
  banned: boolean;
}

/**
 * Reads only: the people of a space — whoever proposed a topic in it, commented on one of its
 * topics (room chat included), asked a question in one of its rooms, or raised a hand or spoke
 * there — found by part of their display name. It joins the users', topics', comments' and
 * rooms' tables only to find and show them; each of those tables has its own repository.
 */
@Injectable()
export class SpacePeopleRead {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit` people whose display name contains `q` (matched literally), closest first. */
  async search(spaceId: string, q: string, limit: number): Promise<PersonRow[]> {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Names first (a name match is few rows), then whether each took part in the space; the
    // closest names lead: an exact name, then a name that starts with the query.
    return queryRows<PersonRow>(
      this.dataSource.manager,
      `SELECT u.id, u.display_name, u.email,
              EXISTS (SELECT 1 FROM space_bans b
                       WHERE b.space_id = $1 AND b.user_id = u.id AND ${banInForce('b')}) AS banned
         FROM users u
        WHERE u.display_name ILIKE $2
          AND (EXISTS (SELECT 1 FROM topics t WHERE t.space_id = $1 AND t.author_id = u.id)
            OR EXISTS (SELECT 1 FROM comments c JOIN topics t ON t.id = c.topic_id
                        WHERE t.space_id = $1 AND c.author_id = u.id)
            OR EXISTS (SELECT 1 FROM room_questions rq JOIN rooms r ON r.id = rq.room_id
                        WHERE r.space_id = $1 AND rq.author_id = u.id)
            OR EXISTS (SELECT 1 FROM room_speeches rs JOIN rooms r ON r.id = rs.room_id
                        WHERE r.space_id = $1 AND rs.user_id = u.id)
            OR EXISTS (SELECT 1 FROM room_hands rh JOIN rooms r ON r.id = rh.room_id
                        WHERE r.space_id = $1 AND rh.user_id = u.id))
        ORDER BY lower(u.display_name) = lower($3) DESC,
                 lower(u.display_name) LIKE lower($4) DESC,
                 u.display_name, u.id
        LIMIT $5`,
      [spaceId, like, q, `${like.slice(1)}`, limit],
    );
  }
}
