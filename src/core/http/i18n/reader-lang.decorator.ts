import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Request } from 'express';
import { pickLang } from './lang';

/** The language of the person reading the answer, from `Accept-Language` (Korean by default). */
export const ReaderLang = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  pickLang(ctx.switchToHttp().getRequest<Request>().headers['accept-language']),
);
