import { Injectable } from '@nestjs/common';
import { type AuthUser, isAdmin } from '../identity/auth/auth-user';
import { SpaceAccessService } from '../spaces/space-access.service';
import { type PeopleQuery, type PersonView } from './dto/moderation.dto';
import { SpacePeopleRead } from './space-people.read';

/**
 * People of a space for its facilitators (see SpacePeopleRead for who counts). The search is by
 * display name only, and only administrators see emails: a facilitator knows the space's people
 * by the names they show it.
 */
@Injectable()
export class SpacePeopleService {
  constructor(
    private readonly people: SpacePeopleRead,
    private readonly access: SpaceAccessService,
  ) {}

  async search(auth: AuthUser, spaceId: string, query: PeopleQuery): Promise<PersonView[]> {
    await this.access.requireSpace(spaceId);
    await this.access.requireFacilitator(auth, spaceId);
    const rows = await this.people.search(spaceId, query.q, query.limit ?? 10);
    const admin = isAdmin(auth);
    return rows.map((row) => ({
      id: row.id,
      displayName: row.display_name,
      ...(admin ? { email: row.email } : {}),
      banned: row.banned,
    }));
  }
}
