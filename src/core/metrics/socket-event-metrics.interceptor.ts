import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { type Observable, tap } from 'rxjs';
import { MetricsService } from './metrics.service';

/**
 * Counts every client socket event by name and outcome, from the acknowledgement its gateway
 * handler returns (`{ok: true}` or `{ok: false, error: {code}}`: the live handler turns every
 * refusal, a rate limit included, into one). Global, so no gateway has to remember it; HTTP
 * requests pass through untouched (request-logging.ts counts those).
 */
@Injectable()
export class SocketEventMetrics implements NestInterceptor {
  constructor(private readonly metrics: MetricsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'ws') return next.handle();
    const event = context.switchToWs().getPattern();
    return next.handle().pipe(
      tap({
        next: (ack) => this.metrics.socketEvent(event, ack),
        error: () =>
          this.metrics.socketEvent(event, { ok: false, error: { code: 'internal_error' } }),
      }),
    );
  }
}
