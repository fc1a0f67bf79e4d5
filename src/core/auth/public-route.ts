import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'madang:public';

/**
 * Anyone may call this route. A token, when sent, is still verified so the route can
 * personalise its answer. Routes without this decorator require a signed-in user.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
