import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  type CustomDecorator,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Reflector } from '@nestjs/core';
import { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { pickLang } from './i18n/lang';
import { assertPayloadShape } from './payload-shape';
import { msg, Problem } from './problem';
import { sendProblem } from './problem-details.filter';

const ACCEPTS_BODY = 'madang:accepts-body';

/**
 * Lets one route take a body of another media type than JSON (a CSV upload, say); that type
 * needs its own parser. Every other route refuses a non-JSON body with 415.
 */
export const AcceptsBody = (...types: string[]): CustomDecorator =>
  SetMetadata(ACCEPTS_BODY, types);

/** Whether the request carries a body at all (RFC 9112: Content-Length or Transfer-Encoding). */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && Number(length) > 0;
}

/**
 * A JSON body's shape, checked right after it is parsed and before anything transforms it
 * (depth and prototype keys, see payload-shape.ts).
 */
export function bodyShape(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body: unknown = req.body;
    if (body !== null && typeof body === 'object') {
      try {
        assertPayloadShape(body);
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        sendProblem(
          res,
          error,
          pickLang(req.headers['accept-language']),
          req.originalUrl.split('?')[0],
        );
        return;
      }
    }
    next();
  };
}

/** Whether the route's handler reads a body at all (an `@Body()` parameter). */
function takesBody(context: ExecutionContext): boolean {
  const args = Reflect.getMetadata(
    ROUTE_ARGS_METADATA,
    context.getClass(),
    context.getHandler().name,
  ) as Record<string, unknown> | undefined;
  return Object.keys(args ?? {}).some((key) => key.startsWith(`${RouteParamtypes.BODY}:`));
}

const isEmpty = (body: unknown): boolean =>
  body === undefined ||
  body === null ||
  (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);

/**
 * Refuses a body that is not JSON with 415 on every route that has not declared another type.
 * A `text/plain` body used to be left unparsed and the route ran as if it had been sent none —
 * a PATCH answered 200 and changed nothing, which a client takes for success. A route that
 * takes no body refuses a non-empty one (400) for the same reason: unknown fields are refused,
 * never silently dropped (`{}` and no body at all are fine).
 */
@Injectable()
export class BodyTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (!hasBody(req)) return true;
    if (!takesBody(context)) {
      if (req.is('application/json') && isEmpty(req.body)) return true;
      if (req.is('application/json')) throw Problem.field('body', 'body_empty');
    }
    const accepted = this.reflector.getAllAndOverride<string[] | undefined>(ACCEPTS_BODY, [
      context.getHandler(),
      context.getClass(),
    ]) ?? ['application/json'];
    if (req.is(accepted)) return true;
    const types = accepted.join(' or ');
    throw new Problem(415, 'unsupported_media_type', msg('body_type', { types }), [
      {
        field: 'Content-Type',
        message: `must be ${types}`,
        rule: 'content_type',
        params: { types },
      },
    ]);
  }
}
