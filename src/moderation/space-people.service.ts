import { Injectable } from '@nestjs/common';
import { type Page, toPage } from '../core/http/pagination';
import { type AuthUser, isAdmin } from '../identity/auth/auth-user';
import { SpaceAccessService } from '../spaces/space-access.service';
import {
  PEOPLE_PAGE_DEFAULT,
  type PeoplePageQuery,
  type PeopleQuery,
  type PersonView,
} from './dto/moderation.dto';
import { type PersonRow, SpacePeopleRead } from './space-people.read';

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

  /** The first few matches, for a combobox. */
  async search(auth: AuthUser, spaceId: string, query: PeopleQuery): Promise<PersonView[]> {
    await this.access.requireSpace(spaceId);
    await this.access.requireFacilitator(auth, spaceId);
    const rows = await this.people.search(spaceId, query.q, query.limit ?? 10);
    return rows.map(personView(isAdmin(auth)));
  }

  /** Every match, a page at a time, in the order of `search`. */
  async page(auth: AuthUser, spaceId: string, query: PeoplePageQuery): Promise<Page<PersonView>> {
    await this.access.requireSpace(spaceId);
    await this.access.requireFacilitator(auth, spaceId);
    const limit = query.limit ?? PEOPLE_PAGE_DEFAULT;
    const rows = await this.people.page(spaceId, query.q, limit, query.cursor);
    return toPage(rows, limit, personView(isAdmin(auth)), (row) => [
      row.rank,
      row.display_name,
      row.id,
    ]);
  }
}

const personView =
  (admin: boolean) =>
  (row: PersonRow): PersonView => ({
    id: row.id,
    displayName: row.display_name,
    ...(admin ? { email: row.email } : {}),
    banned: row.banned,
  });
