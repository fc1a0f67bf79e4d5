import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../core/config/config.module';
import { type AppConfig } from '../../core/config/env';
import { isUniqueViolation } from '../../core/database/errors';
import { domainEvent } from '../../core/events/domain-events';
import { UnitOfWork } from '../../core/events/unit-of-work';
import { msg, Problem } from '../../core/http/problem';
import { type LoginDto, type RegisterDto } from '../dto/auth.dto';
import { type ChangePasswordDto } from '../dto/user.dto';
import { type AuthResult } from '../dto/user.dto';
import { type User } from '../users/user.entity';
import { toUserView } from '../users/user.views';
import { UsersRepository } from '../users/users.repository';
import { type AuthUser } from './auth-user';
import { PasswordHasher } from './password-hasher';
import { TokenService } from './token.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(dto: RegisterDto): Promise<AuthResult> {
    const passwordHash = await this.hasher.hash(dto.password);
    let user: User;
    try {
      user = await this.users.create({
        email: dto.email,
        passwordHash,
        displayName: dto.displayName,
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw Problem.conflict('email_taken', msg('code.email_taken'));
      }
      throw error;
    }
    return this.result(user);
  }

  async login(dto: LoginDto): Promise<AuthResult> {
    const user = await this.users.withPasswordByEmail(dto.email);
    // One answer for "no such email" and "wrong password", so sign-in does not reveal who
    // has an account.
    if (!(await this.hasher.verify(user?.passwordHash, dto.password)) || !user) {
      throw Problem.unauthorized(msg('code.invalid_credentials'), 'invalid_credentials');
    }
    return this.result(user);
  }

  /**
   * Changes the password after checking the current one. Every other session ends (as on
   * logout), and the answer carries a fresh token for the one that asked.
   */
  async changePassword(auth: AuthUser, dto: ChangePasswordDto): Promise<AuthResult> {
    const user = await this.users.withPasswordById(auth.id);
    if (!user) throw Problem.unauthorized();
    if (!(await this.hasher.verify(user.passwordHash, dto.currentPassword)))
      throw Problem.unauthorized(msg('auth.wrong_password'), 'invalid_credentials');
    if (dto.newPassword === dto.currentPassword)
      throw Problem.field('newPassword', 'same_password');
    const passwordHash = await this.hasher.hash(dto.newPassword);
    await this.uow.run(async (work) => {
      await this.users.setPassword(work.tx, auth.id, passwordHash);
      work.emit(domainEvent('user.sessions_revoked', { userId: auth.id }));
    });
    user.tokenVersion += 1;
    return this.result(user);
  }

  /** Ends every session of this user: all tokens issued so far stop working. */
  async logout(auth: AuthUser): Promise<void> {
    await this.uow.run(async (work) => {
      await this.users.bumpTokenVersion(work.tx, auth.id);
      // Open sockets hold no token after the handshake; this closes them on every node.
      work.emit(domainEvent('user.sessions_revoked', { userId: auth.id }));
    });
  }

  private result(user: User): AuthResult {
    return {
      user: toUserView(user),
      accessToken: this.tokens.sign(user),
      tokenType: 'Bearer',
      expiresIn: this.config.JWT_TTL_SECONDS,
    };
  }
}
