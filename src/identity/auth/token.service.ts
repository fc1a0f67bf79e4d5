import { Inject, Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import { type AppConfig } from '../../core/config/env';
import { Problem } from '../../core/http/problem';
import { type AuthUser } from './auth-user';
import { User } from '../users/user.entity';

interface AccessClaims {
  sub: string;
  ver: number;
}

/**
 * Signs and checks access tokens. HS256 only: a token that names another algorithm (including
 * `none`) is refused. Each check also reads the user, so a role change, logout or deletion
 * takes effect on the next request rather than when the token expires.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  sign(user: Pick<User, 'id' | 'tokenVersion'>): string {
    const claims: AccessClaims = { sub: user.id, ver: user.tokenVersion };
    return this.jwt.sign(claims, {
      secret: this.config.JWT_SECRET,
      algorithm: 'HS256',
      expiresIn: this.config.JWT_TTL_SECONDS,
    });
  }

  async verify(token: string): Promise<AuthUser> {
    let claims: AccessClaims;
    try {
      claims = this.jwt.verify<AccessClaims>(token, {
        secret: this.config.JWT_SECRET,
        algorithms: ['HS256'],
      });
    } catch (error) {
      if (error instanceof TokenExpiredError) {
        throw Problem.unauthorized('The access token has expired; sign in again.', 'token_expired');
      }
      throw Problem.unauthorized('The access token is not valid.');
    }
    if (typeof claims.sub !== 'string' || typeof claims.ver !== 'number') {
      throw Problem.unauthorized('The access token is not valid.');
    }
    const user = await this.dataSource.getRepository(User).findOne({
      where: { id: claims.sub },
      select: { id: true, role: true, displayName: true, tokenVersion: true },
    });
    if (!user || user.tokenVersion !== claims.ver) {
      throw Problem.unauthorized('The access token is no longer valid; sign in again.');
    }
    return { id: user.id, role: user.role, displayName: user.displayName };
  }
}
