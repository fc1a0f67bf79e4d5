import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { type Request } from 'express';
import { Problem } from '../../core/http/problem';
import { type AuthUser } from './auth-user';

export const PUBLIC_ROUTE = 'madang:public';

/**
 * Anyone may call this route. A token, when sent, is still verified so the route can
 * personalise its answer. Routes without this decorator require a signed-in user.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

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
