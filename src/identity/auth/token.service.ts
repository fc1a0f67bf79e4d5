import { isUuid } from '../../core/uuid';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { BatchLoader } from '../../core/database/batch-loader';
import { APP_CONFIG } from '../../core/config/config.module';
import { type AppConfig } from '../../core/config/env';
import { EventBus } from '../../core/events/event-bus';
import { msg, Problem } from '../../core/http/problem';
import { type AuthUser } from './auth-user';
import { type User } from '../users/user.entity';
import { type CheckedUser, UsersRepository } from '../users/users.repository';

interface AccessClaims {
  sub: string;
  ver: number;
}

/** How many checked tokens are remembered (the least recently used go first). */
const VERIFIED_MAX = 10_000;

/** How long a user row read to check a token is reused (when no revocation says otherwise). */
export const USER_CACHE_MS = 2_000;
const USER_CACHE_MAX = 50_000;

/**
 * Signs and checks access tokens. HS256 only: a token that names another algorithm (including
 * `none`) is refused. Each check also compares the token's version with the user's, so a role
 * change, logout or deletion takes effect on the next request rather than when the token
 * expires.
 *
 * The user row is reused for USER_CACHE_MS: reading it on every request and every socket
 * handshake was one database round trip per request, and a reconnect storm of thousands of
 * sockets queued on the pool. A revocation (`user.sessions_revoked`, published after the
 * commit and bridged to every node) drops the entry at once on every node; the short lifetime
 * bounds what a lost bridge message (Redis down) could leave behind. Rows not cached are read
 * in batches (`BatchLoader`): a burst of requests from many users costs one query per turn.
 */
@Injectable()
export class TokenService implements OnModuleInit, OnModuleDestroy {
  /** User rows that checked a token, each reused for USER_CACHE_MS (least recently used out). */
  private readonly users = new LRUCache<string, CheckedUser>({
    max: USER_CACHE_MAX,
    ttl: USER_CACHE_MS,
  });
  /**
   * Tokens whose signature was checked, with their claims and expiry (seconds). Checking a
   * signature (decoding, parsing, HMAC) cost ~0.1 ms of every request and handshake; a token is
   * immutable, so once is enough. Its expiry is still checked on every use, and its version
   * against the user's as before — a logout or role change ends it at once.
   */
  private readonly verified = new LRUCache<string, AccessClaims>({ max: VERIFIED_MAX });
  /** Bumped by every revocation: a read that overlapped one is not kept. */
  private generation = 0;
  private off?: () => void;
  private secretKey?: KeyObject;
  /** Rows not in the cache: the checks of one event-loop turn share one query. */
  private readonly loader = new BatchLoader<string, CheckedUser>(async (ids) => {
    const rows = await this.usersRepository.checked(ids);
    return new Map(rows.map((u) => [u.id, u]));
  });

  constructor(
    private readonly jwt: JwtService,
    private readonly usersRepository: UsersRepository,
    private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Local and remote alike: every node holds its own cache.
    this.off = this.bus.subscribe('user.sessions_revoked', ({ userId }) => {
      this.generation++;
      this.users.delete(userId);
    });
  }

  onModuleDestroy(): void {
    this.off?.();
  }

  /**
   * The secret as a key object, made once. Given a string, the JWT library first tries to
   * parse it as a PEM public key and only falls back to a secret key when that throws: a
   * failed parse and an exception on every check, the largest single cost of a socket
   * handshake in a reconnect storm. The framework types the option as string or Buffer but
   * hands it to the library unchanged, which takes a key object.
   */
  private get key(): Buffer {
    this.secretKey ??= createSecretKey(Buffer.from(this.config.JWT_SECRET, 'utf8'));
    return this.secretKey as unknown as Buffer;
  }

  sign(user: Pick<User, 'id' | 'tokenVersion'>): string {
    const claims: AccessClaims = { sub: user.id, ver: user.tokenVersion };
    return this.jwt.sign(claims, {
      secret: this.key,
      algorithm: 'HS256',
      expiresIn: this.config.JWT_TTL_SECONDS,
    });
  }

  async verify(token: string): Promise<AuthUser> {
    const claims = this.claims(token);
    const user = await this.user(claims.sub);
    if (!user || user.tokenVersion !== claims.ver) {
      throw Problem.unauthorized(msg('auth.token_revoked'));
    }
    return { id: user.id, role: user.role, displayName: user.displayName };
  }

  private claims(token: string): AccessClaims {
    // Kept until its own expiry at most (the entry's ttl), so a hit is a token still in force.
    const known = this.verified.get(token);
    if (known) return known;
    let claims: AccessClaims & { exp?: unknown };
    try {
      claims = this.jwt.verify<AccessClaims & { exp?: unknown }>(token, {
        secret: this.key,
        algorithms: ['HS256'],
      });
    } catch (error) {
      if (error instanceof TokenExpiredError) {
        throw Problem.unauthorized(msg('code.token_expired'), 'token_expired');
      }
      throw Problem.unauthorized(msg('auth.token_invalid'));
    }
    // A correctly signed token can still carry a subject that is no user id (signed elsewhere
    // with the same secret, or by an older format): refused here, it can never reach the batched
    // user read, where one malformed id failed every other request of the batch.
    if (typeof claims.sub !== 'string' || !isUuid(claims.sub) || !Number.isInteger(claims.ver)) {
      throw Problem.unauthorized(msg('auth.token_invalid'));
    }
    // Only tokens that expire are kept (every token this service signs does), until they do.
    const left = typeof claims.exp === 'number' ? claims.exp * 1000 - Date.now() : 0;
    if (left > 0) this.verified.set(token, { sub: claims.sub, ver: claims.ver }, { ttl: left });
    return { sub: claims.sub, ver: claims.ver };
  }

  private async user(id: string): Promise<CheckedUser | null> {
    const cached = this.users.get(id);
    if (cached) return cached;
    const generation = this.generation;
    const user = await this.loader.get(id);
    if (!user) {
      this.users.delete(id);
      return null;
    }
    // A read that overlapped a revocation is not kept.
    if (generation === this.generation) this.users.set(id, user);
    return user;
  }
}
