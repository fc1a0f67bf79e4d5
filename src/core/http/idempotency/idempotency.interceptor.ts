import {
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
  applyDecorators,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { ApiHeader } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import { type Request, type Response } from 'express';
import { type Observable, catchError, finalize, from, mergeMap, of } from 'rxjs';
import { msg, Problem } from '../problem';
import { underIdempotencyKey } from '../../events/unit-of-work';
import { IdempotencyService, LEASE_RENEW_MS } from './idempotency.service';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Key order must not change the hash: `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a.localeCompare(b),
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What a key is bound to: the method, the route and the body (key order ignored). */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonical(body)}`)
    .digest('hex');
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request & { user?: { id: string } }>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.header('idempotency-key');
    if (key === undefined) return next.handle();
    if (!KEY_PATTERN.test(key)) {
      throw Problem.field('Idempotency-Key', 'idempotency_key');
    }
    // Keys are scoped per user; routes that take them always require sign-in.
    const userId = req.user?.id;
    if (!userId) throw Problem.unauthorized();

    const hash = requestHash(req.method, `${req.baseUrl}${req.path}`, req.body);
    const claim = await this.idempotency.claim(userId, key, hash);
    switch (claim.kind) {
      case 'mismatch':
        throw Problem.unprocessable('idempotency_key_reused', msg('code.idempotency_key_reused'));
      case 'in_flight':
        throw new Problem(
          409,
          'idempotency_in_flight',
          msg('code.idempotency_in_flight'),
          undefined,
          { 'Retry-After': String(claim.retryAfter) },
        );
      case 'lost':
        throw Problem.conflict('idempotency_result_lost', msg('code.idempotency_result_lost'));
      case 'replay':
        res.setHeader('Idempotent-Replayed', 'true');
        return of(claim.body);
      case 'claimed':
        break;
    }

    const status =
      (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ??
      (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    const { owner } = claim;
    // The claim holds while this request runs: renewed until the answer is stored or the key
    // released. A node that dies stops renewing, and a retry may take the key seconds later.
    const renewal = setInterval(() => {
      this.idempotency.renew(userId, key, owner).catch(() => undefined);
    }, LEASE_RENEW_MS);
    renewal.unref();
    // The handler runs under the key, so its transaction marks the key (unit-of-work.ts).
    return underIdempotencyKey({ userId, key, owner }, () =>
      next.handle().pipe(
        mergeMap((body: unknown) =>
          from(this.idempotency.complete(userId, key, owner, status, body).then(() => body)),
        ),
        catchError((error: unknown) =>
          from(
            this.idempotency
              .release(userId, key, owner)
              // The original error matters more than a failed release (the lease expires anyway).
              .catch(() => undefined)
              .then(() => {
                throw error;
              }),
          ),
        ),
        finalize(() => clearInterval(renewal)),
      ),
    );
  }
}

/** Lets clients retry this write safely with an `Idempotency-Key` header. */
export const Idempotent = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Retry key: the same key and body return the first result.',
    }),
  );
