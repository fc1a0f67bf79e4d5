import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../core/database/errors';
import { PasswordHasher } from '../auth/password-hasher';
import { User } from './user.entity';

/**
 * The administrator accounts named by configuration (ADMIN_EMAIL/ADMIN_PASSWORD at start, or
 * the admin:create command). Kept apart from UsersService so the command line can use it
 * without the application's event machinery.
 */
@Injectable()
export class AdminAccounts {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * Makes sure an administrator with this email exists: creates it, or promotes an existing
   * account. An existing account's password is left alone, so restarts never reset it.
   */
  async ensureAdmin(
    email: string,
    password: string,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<'created' | 'promoted' | 'unchanged'> {
    const normalised = email.trim().toLowerCase();
    const users = tx.getRepository(User);
    const existing = await users.findOneBy({ email: normalised });
    if (existing) {
      if (existing.role === 'admin') return 'unchanged';
      await users.update({ id: existing.id }, { role: 'admin' });
      return 'promoted';
    }
    try {
      await users.insert({
        email: normalised,
        passwordHash: await this.hasher.hash(password),
        displayName: '관리자',
        role: 'admin',
      });
      return 'created';
    } catch (error) {
      // Another node bootstrapping at the same moment won the race: same outcome.
      if (isUniqueViolation(error)) return 'unchanged';
      throw error;
    }
  }
}
