import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Queryable, queryRows } from '../../core/database/sql';
import { decodeKeyset } from '../../core/http/pagination';
import { type UserSearchQuery } from '../dto/user.dto';
import { type GlobalRole, User } from './user.entity';

/** What a token check reads of its user. */
export type CheckedUser = Pick<User, 'id' | 'role' | 'displayName' | 'tokenVersion'>;

/**
 * Every statement on `users`: sign-up and sign-in, the token check's batched read, renames,
 * password and session changes, roles, and the administrators' search. Other features join
 * `users` only to show a display name, inside their own repositories.
 */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string, tx: EntityManager = this.dataSource.manager): Promise<User | null> {
    return tx.getRepository(User).findOneBy({ id });
  }

  async findByEmail(
    email: string,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<User | null> {
    return tx.getRepository(User).findOneBy({ email });
  }

  /** The user with its password hash (left out of every other read), by email. */
  async withPasswordByEmail(email: string): Promise<User | null> {
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .getOne();
  }

  /** The user with its password hash, by id. */
  async withPasswordById(id: string): Promise<User | null> {
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id })
      .getOne();
  }

  /** A new account; a taken email throws the unique violation for the caller to answer. */
  async create(fields: Pick<User, 'email' | 'passwordHash' | 'displayName'>): Promise<User> {
    const users = this.dataSource.getRepository(User);
    return users.save(users.create(fields));
  }

  /** An administrator account, as configuration names it. */
  async insertAdmin(
    tx: EntityManager,
    fields: Pick<User, 'email' | 'passwordHash' | 'displayName'>,
  ): Promise<void> {
    await tx.getRepository(User).insert({ ...fields, role: 'admin' });
  }

  async promoteToAdmin(tx: EntityManager, id: string): Promise<void> {
    await tx.getRepository(User).update({ id }, { role: 'admin' });
  }

  /** The rows that check tokens, many users in one query. */
  async checked(ids: readonly string[]): Promise<CheckedUser[]> {
    return queryRows<CheckedUser>(
      this.dataSource.manager,
      `SELECT id, role, display_name AS "displayName", token_version AS "tokenVersion"
         FROM users WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  async setDisplayName(id: string, displayName: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE users SET display_name = $2, updated_at = now() WHERE id = $1`,
      [id, displayName],
    );
  }

  /** A new password; every token issued so far stops working. */
  async setPassword(tx: Queryable, id: string, passwordHash: string): Promise<void> {
    await tx.query(
      `UPDATE users SET password_hash = $2, token_version = token_version + 1, updated_at = now() WHERE id = $1`,
      [id, passwordHash],
    );
  }

  /** Ends every session: all tokens issued so far stop working. */
  async bumpTokenVersion(tx: EntityManager, id: string): Promise<void> {
    await tx.getRepository(User).increment({ id }, 'tokenVersion', 1);
  }

  /** Locks every administrator's row until the transaction ends; returns their ids. */
  async lockAdmins(tx: Queryable): Promise<unknown[]> {
    return tx.query(`SELECT id FROM users WHERE role = 'admin' FOR UPDATE`);
  }

  async save(tx: EntityManager, user: User): Promise<User> {
    return tx.getRepository(User).save(user);
  }

  /**
   * Locks the user's row for the transaction (FOR NO KEY UPDATE: rows referencing it can still
   * be written) and reads the role, which then cannot change under the caller.
   */
  async lockRole(tx: Queryable, id: string): Promise<{ id: string; role: GlobalRole } | undefined> {
    const rows = await queryRows<{ id: string; role: GlobalRole }>(
      tx,
      `SELECT id, role FROM users WHERE id = $1 FOR NO KEY UPDATE`,
      [id],
    );
    return rows[0];
  }

  /**
   * `limit + 1` users for the administrators' page, by email (unique, so it is a keyset on its
   * own). `q` matches part of the email or the display name, case-insensitively; `%` and `_` in
   * it are matched literally.
   */
  async search(query: UserSearchQuery, limit: number): Promise<User[]> {
    const qb = this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .orderBy('u.email', 'ASC')
      .take(limit + 1);
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('(u.email ILIKE :like OR u.display_name ILIKE :like)', { like });
    }
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.cursor) {
      const [email] = decodeKeyset(query.cursor, ['text']);
      qb.andWhere('u.email > :email', { email });
    }
    return qb.getMany();
  }
}
