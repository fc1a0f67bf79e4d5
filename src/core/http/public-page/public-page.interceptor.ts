import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { type Request, type Response } from 'express';
import { map, type Observable, of } from 'rxjs';
import { MetricsService } from '../../metrics/metrics.service';
import { pickLang } from '../i18n/lang';
import { type CachedPage, PublicPageCache } from './public-page-cache';

/**
 * What a cached page depends on, read for each anonymous request (one indexed row): undefined
 * when there is nothing to cache (the handler then answers, e.g. 404, as without the cache).
 */
export abstract class PublicPageVersion {
  abstract of(req: Request): Promise<string | undefined>;
}

/**
 * Serves anonymous GETs of the route from the shared `PublicPageCache` while the page's
 * version (given by the `PublicPageVersion` the route's module provides) has not moved, and
 * answers `If-None-Match` with 304. The answer is the handler's own, serialised once.
 */
@Injectable()
export class PublicPageInterceptor implements NestInterceptor {
  constructor(
    private readonly cache: PublicPageCache,
    private readonly version: PublicPageVersion,
    private readonly metrics: MetricsService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    // Signed-in pages carry the reader's own state: never shared.
    if (req.method !== 'GET' || req.header('authorization') !== undefined) return next.handle();
    res.setHeader('Vary', 'Authorization, Accept-Language');
    const version = await this.version.of(req);
    if (version === undefined) return next.handle();
    // The path and query as sent (the same page asked the same way), and the language.
    const key = `${req.originalUrl}|${pickLang(req.headers['accept-language'])}`;
    const hit = this.cache.get(key, version);
    this.metrics.publicPages.inc({ outcome: hit ? 'hit' : 'miss' });
    if (hit) return of(this.answer(res, hit));
    return next
      .handle()
      .pipe(map((value) => this.answer(res, this.cache.put(key, version, value))));
  }

  /** The cached JSON as is; Express answers 304 itself when `If-None-Match` matches the ETag. */
  private answer(res: Response, page: CachedPage): string {
    res.type('application/json');
    res.setHeader('ETag', page.etag);
    res.setHeader('Cache-Control', 'public, no-cache');
    return page.body;
  }
}
