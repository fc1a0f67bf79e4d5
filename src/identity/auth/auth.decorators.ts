import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Request } from 'express';
import { Problem } from '../../core/http/problem';
import { type AuthUser } from './auth-user';

export { Public, PUBLIC_ROUTE } from '../../core/auth/public-route';

type WithUser = Request & { user?: AuthUser };

/** The signed-in user; on a route that requires sign-in it is always present. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthUser => {
    const user = ctx.switchToHttp().getRequest<WithUser>().user;
    if (!user) throw Problem.unauthorized();
    return user;
  },
);

/** The caller if signed in, otherwise undefined (public routes). */
export const OptionalUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthUser | undefined =>
    ctx.switchToHttp().getRequest<WithUser>().user,
);
