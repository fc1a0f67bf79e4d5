import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { msg, Problem } from '../core/http/problem';
import { type AuthUser, isAdmin } from '../identity/auth/auth-user';
import { SpacesRepository } from './spaces.repository';

/**
 * The one place that answers "may this user act as a facilitator of this space?". An admin
 * reaches every space; a facilitator only the spaces they were granted.
 */
@Injectable()
export class SpaceAccessService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly spaces: SpacesRepository,
  ) {}

  async isFacilitator(
    auth: AuthUser | undefined,
    spaceId: string,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    if (!auth) return false;
    if (isAdmin(auth)) return true;
    return this.spaces.isFacilitator(tx, spaceId, auth.id);
  }

  async requireFacilitator(
    auth: AuthUser,
    spaceId: string,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    if (!(await this.isFacilitator(auth, spaceId, tx))) {
      throw Problem.forbidden(msg('access.facilitator_only'));
    }
  }

  /** 404 unless the space exists: asked before the facilitator check, so a typo reads as one. */
  async requireSpace(spaceId: string, tx: EntityManager = this.dataSource.manager): Promise<void> {
    if (!(await this.spaces.exists(tx, spaceId))) throw Problem.notFound('Space');
  }

  requireAdmin(auth: AuthUser): void {
    if (!isAdmin(auth)) throw Problem.forbidden(msg('access.admin_only'));
  }
}
