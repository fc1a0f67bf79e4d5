import { Inject, Injectable } from '@nestjs/common';
import { type IncomingMessage } from 'node:http';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/env';

/** How long a loaded embed allowlist is used before it is read again. */
const EMBED_CACHE_MS = 5_000;

/**
 * Decides which web origins may open a socket: this server's own origin (from the Host the
 * browser connected to, or PUBLIC_ORIGIN), the configured CORS origins, and every space's
 * embed origins. Comparisons are exact strings: origins are stored canonical, so a look-alike
 * such as `https://city.example.evil.com` never matches `https://city.example`.
 */
@Injectable()
export class OriginPolicy {
  private readonly fixed: Set<string>;
  private embed = new Set<string>();
  private loadedAt = 0;
  private loading?: Promise<void>;
  /** Where the embed origins come from: the spaces register their reader (spaces module). */
  private source: () => Promise<string[]> = () => Promise.resolve([]);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.fixed = new Set([
      ...(config.PUBLIC_ORIGIN ? [config.PUBLIC_ORIGIN] : []),
      ...config.CORS_ORIGINS,
    ]);
  }

  async allows(req: IncomingMessage): Promise<boolean> {
    const origin = req.headers.origin;
    if (origin === undefined) return this.config.SOCKET_ALLOW_MISSING_ORIGIN;
    if (origin === 'null' || origin.length > 255) return false;
    if (this.fixed.has(origin) || this.isSameOrigin(origin, req.headers.host)) return true;
    // Embed origins change when a space is edited; a removed origin stops working within
    // EMBED_CACHE_MS, and the allowlist costs at most one query per EMBED_CACHE_MS.
    if (Date.now() - this.loadedAt > EMBED_CACHE_MS) await this.refresh();
    return this.embed.has(origin);
  }

  /** Sets where every space's embed origins are read from (the spaces feature owns them). */
  useEmbedOrigins(source: () => Promise<string[]>): void {
    this.source = source;
    this.loadedAt = 0;
  }

  /** The page was served by this server: the browser's Origin names the Host it connected to. */
  private isSameOrigin(origin: string, host: string | undefined): boolean {
    return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
  }

  private refresh(): Promise<void> {
    this.loading ??= this.source()
      .then((origins) => {
        this.embed = new Set(origins);
        this.loadedAt = Date.now();
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}
