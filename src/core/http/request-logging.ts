import { randomUUID } from 'node:crypto';
import { type NextFunction, type Request, type Response } from 'express';
import { type Logger } from '../logging/logger';
import { type MetricsService } from '../metrics/metrics.service';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Gives every request an id (the caller's X-Request-Id when sane, else a new UUID), echoes it,
 * logs one JSON line when the response finishes, and counts it for /metrics by route
 * pattern (never by raw URL, which would explode the label set).
 */
export function requestLogging(logger: Logger, metrics: MetricsService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.header('x-request-id');
    const id = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    (req as Request & { id: string }).id = id;
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const route = routePath ? `${req.baseUrl}${routePath}` : 'unmatched';
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method: req.method, route }, seconds);
      if (route === '/metrics' || route.startsWith('/health')) return;
      const user = (req as Request & { user?: { id: string } }).user;
      logger.info(
        {
          reqId: id,
          method: req.method,
          route,
          url: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Math.round(seconds * 1000 * 10) / 10,
          userId: user?.id,
        },
        'request',
      );
    });
    next();
  };
}
