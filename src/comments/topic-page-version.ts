import { Injectable } from '@nestjs/common';
import { type Request } from 'express';
import { DataSource } from 'typeorm';
import { PublicPageVersion } from '../core/http/public-page/public-page.interceptor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A topic's comment pages are made from the topic's events: every new, edited, hidden,
 * restored or deleted comment and every transition moves the topic's `seq` in the same
 * transaction, so a page cached at one `seq` is the page at that `seq`.
 */
@Injectable()
export class TopicPageVersion extends PublicPageVersion {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async of(req: Request): Promise<string | undefined> {
    const id = req.params.id;
    // The route's own pipe refuses a malformed id; it runs after this.
    if (typeof id !== 'string' || !UUID.test(id)) return undefined;
    const rows: { seq: number }[] = await this.dataSource.query(
      `SELECT seq FROM topics WHERE id = $1`,
      [id],
    );
    const seq = rows[0]?.seq;
    return seq === undefined ? undefined : `${id}:${seq}`;
  }
}
