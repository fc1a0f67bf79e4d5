import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../core/database/errors';
import { PasswordHasher } from '../auth/password-hasher';
import { UsersRepository } from './users.repository';

/**
 * The administrator accounts named by configuration (ADMIN_EMAIL/ADMIN_PASSWORD at start, or
 * the admin:create command). Kept apart from UsersService so the command line can use it
 * without the application's event machinery.
 */
@Injectable()
export class AdminAccounts {
  /** Built here rather than injected: the command line constructs this class by hand. */
  private readonly users: UsersRepository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
  ) {
    this.users = new UsersRepository(dataSource);
  }

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
    const existing = await this.users.findByEmail(normalised, tx);
    if (existing) {
      if (existing.role === 'admin') return 'unchanged';
      await this.users.promoteToAdmin(tx, existing.id);
      return 'promoted';
    }
    try {
      await this.users.insertAdmin(tx, {
        email: normalised,
        passwordHash: await this.hasher.hash(password),
        displayName: '관리자',
      });
      return 'created';
    } catch (error) {
      // Another node bootstrapping at the same moment won the race: same outcome.
      if (isUniqueViolation(error)) return 'unchanged';
      throw error;
    }
  }
}
