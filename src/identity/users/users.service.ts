import { Inject, Injectable } from '@nestjs/common';
import { LOGGER } from '../../core/logging/logging.module';
import { type Logger } from '../../core/logging/logger';
import { msg, Problem } from '../../core/http/problem';
import { domainEvent } from '../../core/events/domain-events';
import { UnitOfWork } from '../../core/events/unit-of-work';
import { type AuthUser, isAdmin } from '../auth/auth-user';
import { DEFAULT_LIMIT, type Page, toPage } from '../../core/http/pagination';
import { SpacesRepository } from '../../spaces/spaces.repository';
import {
  type MeView,
  type SpaceRoleView,
  type UpdateMeDto,
  type UserSearchQuery,
  type UserView,
} from '../dto/user.dto';
import { type GlobalRole } from './user.entity';
import { UsersRepository } from './users.repository';
import { toUserView } from './user.views';
import { AuditService } from '../../moderation/audit.service';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly spaces: SpacesRepository,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async me(auth: AuthUser): Promise<MeView> {
    const user = await this.users.findById(auth.id);
    if (!user) throw Problem.unauthorized();
    const spaces = await this.spaces.facilitatedBy(auth.id);
    return {
      ...toUserView(user),
      spaces: spaces.map((s): SpaceRoleView => ({
        spaceId: s.space_id,
        slug: s.slug,
        name: s.name,
        role: 'facilitator',
      })),
    };
  }

  /** A person renames themselves; their words everywhere show the new name (it is joined on read). */
  async updateMe(auth: AuthUser, dto: UpdateMeDto): Promise<MeView> {
    await this.users.setDisplayName(auth.id, dto.displayName);
    return this.me(auth);
  }

  /**
   * People for the administrators' page, by email (unique, so it is a keyset on its own). `q` matches part of the email or the
   * display name, case-insensitively; `%` and `_` in it are matched literally.
   */
  async search(auth: AuthUser, query: UserSearchQuery): Promise<Page<UserView>> {
    if (!isAdmin(auth)) throw Problem.forbidden(msg('access.admin_only'));
    const limit = query.limit ?? DEFAULT_LIMIT;
    return toPage(await this.users.search(query, limit), limit, toUserView, (u) => [u.email]);
  }

  async setRole(auth: AuthUser, userId: string, role: GlobalRole): Promise<UserView> {
    if (!isAdmin(auth)) throw Problem.forbidden(msg('users.roles_admin_only'));
    return this.uow.run(async (work) => {
      const { tx } = work;
      // Lock the admins so two concurrent demotions cannot both pass the last-admin check.
      const admins = await this.users.lockAdmins(tx);
      const user = await this.users.findById(userId, tx);
      if (!user) throw Problem.notFound('User');
      // The same role again changes nothing and is not audited.
      if (user.role === role) return toUserView(user);
      const before = user.role;
      if (user.role === 'admin') {
        if (admins.length <= 1) {
          throw Problem.conflict('conflict', msg('users.last_admin'));
        }
      }
      user.role = role;
      // Tokens carry no role, but bumping the version makes a demotion bite at once for
      // any cached session state, and is harmless for a promotion.
      user.tokenVersion += 1;
      await this.users.save(tx, user);
      // A site-wide action: its audit row belongs to no space (the administrators' log shows it).
      await this.audit.record(tx, {
        spaceId: null,
        actorId: auth.id,
        action: 'user.role',
        targetType: 'user',
        targetId: userId,
        reason: null,
        before: { role: before },
        after: { role },
      });
      work.emit(domainEvent('user.sessions_revoked', { userId }));
      this.logger.info({ actor: auth.id, userId, role }, 'role changed');
      return toUserView(user);
    });
  }
}
