import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OriginPolicy } from '../core/realtime/origin-policy';
import { SpacesRepository } from './spaces.repository';

/**
 * Gives the socket handshake's origin check (core's OriginPolicy) every space's embed origins.
 * They are the spaces' data, so the spaces feature reads them; core only asks.
 */
@Injectable()
export class EmbedOrigins implements OnModuleInit {
  constructor(
    private readonly spaces: SpacesRepository,
    private readonly origins: OriginPolicy,
  ) {}

  onModuleInit(): void {
    this.origins.useEmbedOrigins(() => this.all());
  }

  /** Every origin any space allows to embed it. */
  all(): Promise<string[]> {
    return this.spaces.embedOrigins();
  }
}
