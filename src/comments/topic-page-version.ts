import { isUuid } from '../core/uuid';
import { Injectable } from '@nestjs/common';
import { type Request } from 'express';
import { PublicPageVersion } from '../core/http/public-page/public-page.interceptor';
import { TopicsRepository } from '../topics/topics.repository';

/**
 * A topic's comment pages are made from the topic's events: every new, edited, hidden,
 * restored or deleted comment and every transition moves the topic's `seq` in the same
 * transaction, so a page cached at one `seq` is the page at that `seq`.
 */
@Injectable()
export class TopicPageVersion extends PublicPageVersion {
  constructor(private readonly topics: TopicsRepository) {
    super();
  }

  async of(req: Request): Promise<string | undefined> {
    const id = req.params.id;
    // The route's own pipe refuses a malformed id; it runs after this.
    if (typeof id !== 'string' || !isUuid(id)) return undefined;
    const seq = await this.topics.seqOf(id);
    return seq === undefined ? undefined : `${id}:${seq}`;
  }
}
