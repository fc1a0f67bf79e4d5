import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type AuthUser, isAdmin } from '../identity/auth/auth-user';
import { SpaceAccessService } from '../spaces/space-access.service';
import { banInForce } from './bans.guard';
import { type PeopleQuery, type PersonView } from './dto/moderation.dto';
import { requireSpace } from './moderation-queries';

interface PersonRow {
  id: string;
  display_name: string;
  email: string;
  banned: boolean;
}

/**
 * People of a space for its facilitators: whoever proposed a topic in it, commented on one of
 * its topics (room chat included), asked a question in one of its rooms, or raised a hand or
 * spoke there. The search is by display name only, and only administrators see emails: a
 * facilitator knows the space's people by the names they show it.
 */
@Injectable()
export class SpacePeopleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: SpaceAccessService,
  ) {}

  async search(auth: AuthUser, spaceId: string, query: PeopleQuery): Promise<PersonView[]> {
    const tx = this.dataSource.manager;
    await requireSpace(tx, spaceId);
    await this.access.requireFacilitator(auth, spaceId, tx);
    const q = query.q;
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Names first (a name match is few rows), then whether each took part in the space; the
    // closest names lead: an exact name, then a name that starts with the query.
    const rows: PersonRow[] = await tx.query(
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
      [spaceId, like, q, `${like.slice(1)}`, query.limit ?? 10],
    );
    const admin = isAdmin(auth);
    return rows.map((row) => ({
      id: row.id,
      displayName: row.display_name,
      ...(admin ? { email: row.email } : {}),
      banned: row.banned,
    }));
  }
}
