import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pickLang } from './i18n/lang';
import { sendProblem } from './problem-details.filter';
import { msg, Problem } from './problem';

/**
 * Where `npm run build` puts the browser client. This file sits three folders below the
 * project root both as source (src/core/http) and compiled (dist/core/http).
 */
export const WEB_DIR = resolve(__dirname, '../../..', 'dist', 'web');

/** The paths the participant pages answer (their router lives in the browser). */
const PAGE_PATHS = [
  /^\/$/,
  /^\/spaces\/[^/]+(\/manage)?$/,
  /^\/topics\/[0-9a-fA-F-]{36}$/,
  /^\/rooms\/[0-9a-fA-F-]{36}(\/console|\/minutes)?$/,
  /^\/budgets\/[0-9a-fA-F-]{36}(\/ballot|\/results|\/kiosk|\/screen|\/manage)?$/,
  /^\/projects\/[0-9a-fA-F-]{36}$/,
  /^\/(signin|register|me|admin)$/,
  /^\/me\/(notifications|notification-settings)$/,
];

/** A room page: its stream (if any) may need a media source of its own in the CSP. */
const ROOM_PAGE = /^\/rooms\/([0-9a-fA-F-]{36})(?:\/console)?$/;

/** Paths the server's own routes answer; any other unknown path is not found here. */
const SERVER_PATHS =
  /^\/(api|socket\.io)\/|^\/(health\/(live|ready)|metrics|embed\.js|embed\/signin)$|^\/embed\/(topics|rooms)\/[^/]+$/;

/** The origin a room's page must be allowed to play media from (HLS or MP4), if any. */
export type MediaOriginOf = (roomId: string) => Promise<string | null>;

/** Adds `origin` to the media sources of a Content-Security-Policy header value. */
export function allowMedia(csp: string, origin: string): string {
  if (/(^|;)\s*media-src /.test(csp))
    return csp.replace(/((?:^|;)\s*media-src [^;]*)/, `$1 ${origin}`);
  return `${csp};media-src 'self' ${origin}`;
}

/**
 * The built pages and widget, read once. Missing (a server started without building the
 * client) means the pages answer 503 with a hint; the API works regardless.
 */
export class WebClient {
  private readonly files = new Map<string, string | null>();

  constructor(readonly dir = WEB_DIR) {}

  page(name: 'index.html' | 'widget.html' | 'embed.js'): string | null {
    if (!this.files.has(name)) {
      const path = join(this.dir, name);
      this.files.set(name, existsSync(path) ? readFileSync(path, 'utf8') : null);
    }
    return this.files.get(name) ?? null;
  }

  /**
   * Fingerprinted assets (cached for a year), the page paths (index.html, not cached), and a
   * page of its own for any other path a browser asks for (404, in Korean, in the design).
   * A room page whose stream is an HLS or MP4 address may play from exactly that origin.
   */
  middleware(mediaOriginOf?: MediaOriginOf): express.RequestHandler[] {
    const assets = express.static(this.dir, {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: true,
    });
    const pages = (req: Request, res: Response, next: NextFunction): void => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        next();
        return;
      }
      if (!PAGE_PATHS.some((p) => p.test(req.path))) {
        // A person following a wrong link gets a page; a tool gets problem+json (never the
        // framework's English "Cannot GET").
        if (SERVER_PATHS.test(req.path)) next();
        else if (req.accepts(['json', 'html']) === 'html') this.send(res, 'index.html', 404);
        else
          sendProblem(
            res,
            new Problem(
              404,
              'not_found',
              msg('route_not_found', { method: req.method, path: req.path }),
            ),
            pickLang(req.headers['accept-language']),
            req.path,
          );
        return;
      }
      const room = mediaOriginOf ? ROOM_PAGE.exec(req.path)?.[1] : undefined;
      if (!room || !mediaOriginOf) {
        this.send(res, 'index.html');
        return;
      }
      mediaOriginOf(room).then(
        (origin) => {
          if (origin) {
            const csp = res.getHeader('Content-Security-Policy');
            if (typeof csp === 'string')
              res.setHeader('Content-Security-Policy', allowMedia(csp, origin));
          }
          this.send(res, 'index.html');
        },
        (error: unknown) => next(error),
      );
    };
    const onlyAssets = (req: Request, res: Response, next: NextFunction): void => {
      if (req.path.startsWith('/assets/')) void assets(req, res, next);
      else next();
    };
    return [onlyAssets, pages];
  }

  send(res: Response, name: 'index.html' | 'widget.html', status = 200): void {
    const html = this.page(name);
    if (html === null) {
      res
        .status(503)
        .type('text/plain')
        .send('The web client is not built. Run `npm run build` and restart the server.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    // The page shell shows the not-found page before (and without) the script.
    const body =
      status === 404 ? html.replace('data-page="loading"', 'data-page="not-found"') : html;
    res.status(status).type('html').send(body);
  }
}
