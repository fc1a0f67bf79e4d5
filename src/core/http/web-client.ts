import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where `npm run build` puts the browser client. This file sits three folders below the
 * project root both as source (src/core/http) and compiled (dist/core/http).
 */
export const WEB_DIR = resolve(__dirname, '../../..', 'dist', 'web');

/** The paths the participant pages answer (their router lives in the browser). */
const PAGE_PATHS = [
  /^\/$/,
  /^\/spaces\/[^/]+$/,
  /^\/topics\/[0-9a-fA-F-]{36}$/,
  /^\/rooms\/[0-9a-fA-F-]{36}(\/console)?$/,
  /^\/(signin|register)$/,
];

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

  /** Fingerprinted assets (cached for a year) and the page paths (index.html, not cached). */
  middleware(): express.RequestHandler[] {
    const assets = express.static(this.dir, {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: true,
    });
    const pages = (req: Request, res: Response, next: NextFunction): void => {
      if (
        (req.method !== 'GET' && req.method !== 'HEAD') ||
        !PAGE_PATHS.some((p) => p.test(req.path))
      ) {
        next();
        return;
      }
      this.send(res, 'index.html');
    };
    const onlyAssets = (req: Request, res: Response, next: NextFunction): void => {
      if (req.path.startsWith('/assets/')) void assets(req, res, next);
      else next();
    };
    return [onlyAssets, pages];
  }

  send(res: Response, name: 'index.html' | 'widget.html'): void {
    const html = this.page(name);
    if (html === null) {
      res
        .status(503)
        .type('text/plain')
        .send('The web client is not built. Run `npm run build` and restart the server.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  }
}
