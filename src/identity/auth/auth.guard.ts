import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Request } from 'express';
import { msg, Problem } from '../../core/http/problem';
import { type AuthUser } from './auth-user';
import { PUBLIC_ROUTE } from './auth.decorators';
import { TokenService } from './token.service';

/**
 * Global guard: every route requires a valid bearer token unless marked @Public(). Secure by
 * default: a new route someone forgets to annotate is closed, not open.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const header = req.header('authorization');
    if (header === undefined) {
      if (isPublic) return true;
      throw Problem.unauthorized();
    }
    const match = /^Bearer ([A-Za-z0-9\-_.]+)$/.exec(header);
    if (!match?.[1]) throw Problem.unauthorized(msg('auth.bearer_format'));
    req.user = await this.tokens.verify(match[1]);
    return true;
  }
}
