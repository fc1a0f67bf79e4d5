import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../core/database/sql';

/**
 * What an embed reads to decide what it may show and where: a topic's or room's space's embed
 * origins and a room's stream. The embed has no tables; `rooms` (RoomsRepository), `topics`
 * and `spaces` are read here only to show them, the rooms module importing this one.
 */
@Injectable()
export class EmbedReader {
  constructor(private readonly dataSource: DataSource) {}

  /** The room's stream address; null when it has none (or there is no such room). */
  async streamUrl(roomId: string): Promise<string | null> {
    const rows = await queryRows<{ stream_url: string | null }>(
      this.dataSource.manager,
      `SELECT settings->>'streamUrl' AS stream_url FROM rooms WHERE id = $1`,
      [roomId],
    );
    return rows[0]?.stream_url ?? null;
  }

  /**
   * The space's embed origins for a topic (`byTopic`) or a room whose topic was not rejected;
   * undefined when there is none.
   */
  async origins(byTopic: boolean, id: string): Promise<string[] | undefined> {
    const rows = await queryRows<{ embed_origins: string[] }>(
      this.dataSource.manager,
      `SELECT s.embed_origins FROM topics t JOIN spaces s ON s.id = t.space_id
        ${byTopic ? '' : 'JOIN rooms r ON r.topic_id = t.id'}
        WHERE ${byTopic ? 't.id' : 'r.id'} = $1 AND t.status <> 'rejected'`,
      [id],
    );
    return rows[0]?.embed_origins;
  }
}
