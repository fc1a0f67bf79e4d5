import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OriginPolicy } from '../core/realtime/origin-policy';

/**
 * Gives the socket handshake's origin check (core's OriginPolicy) every space's embed origins.
 * They are the spaces' data, so the spaces feature reads them; core only asks.
 */
@Injectable()
export class EmbedOrigins implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly origins: OriginPolicy,
  ) {}

  onModuleInit(): void {
    this.origins.useEmbedOrigins(() => this.all());
  }

  /** Every origin any space allows to embed it. */
  async all(): Promise<string[]> {
    const rows: { origin: string }[] = await this.dataSource.query(
      `SELECT DISTINCT unnest(embed_origins) AS origin FROM spaces`,
    );
    return rows.map((r) => r.origin);
  }
}
