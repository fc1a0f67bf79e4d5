import { Module } from '@nestjs/common';
import { WebClient } from '../core/http/web-client';
import { EmbedController } from './embed.controller';
import { EmbedReader } from './embed.read';
import { EmbedService } from './embed.service';

@Module({
  controllers: [EmbedController],
  providers: [EmbedService, EmbedReader, { provide: WebClient, useValue: new WebClient() }],
  exports: [EmbedService, WebClient],
})
export class EmbedModule {}
