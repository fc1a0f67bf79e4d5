import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

/**
 * How long an anonymous page may be served from the cache while its version has not moved.
 * The version (a topic's `seq`) moves with every change a reader must see at once — a new,
 * edited, hidden or deleted comment, a transition — so what this bounds is the age of what does
 * not move it: agree counts and display names, up to a second old.
 */
export const PUBLIC_PAGE_TTL_MS = 1000;

/** At most this many bytes of cached pages per node (a thread page is about 60 KB). */
const MAX_BYTES = 32 * 2 ** 20;

export interface CachedPage {
  /** What the page was made from, e.g. the topic's seq; a page of another version is stale. */
  version: string;
  /** The JSON answer, serialised once. */
  body: string;
  /** A strong validator of `body`, for conditional requests. */
  etag: string;
}

/**
 * A short-lived cache, shared by every anonymous reader on this node, of public pages that are
 * the same for all of them (no `myAgree`, no facilitator's view). Many residents opening the
 * same thread in the same second then cost one read and one serialisation, not one each.
 * Signed-in readers never use it: their pages carry their own state.
 */
@Injectable()
export class PublicPageCache {
  private readonly pages = new LRUCache<string, CachedPage>({
    maxSize: MAX_BYTES,
    sizeCalculation: (page) => page.body.length + page.version.length + 64,
    ttl: PUBLIC_PAGE_TTL_MS,
  });

  /** The page under `key` if it is younger than the TTL and of `version`. */
  get(key: string, version: string): CachedPage | undefined {
    const page = this.pages.get(key);
    return page?.version === version ? page : undefined;
  }

  /** Serialises `value` once, keeps it under `key` for the TTL, and returns it. */
  put(key: string, version: string, value: unknown): CachedPage {
    const body = JSON.stringify(value);
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    const page = { version, body, etag };
    this.pages.set(key, page);
    return page;
  }
}
