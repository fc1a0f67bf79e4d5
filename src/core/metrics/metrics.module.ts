import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { SocketEventMetrics } from './socket-event-metrics.interceptor';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, { provide: APP_INTERCEPTOR, useClass: SocketEventMetrics }],
  exports: [MetricsService],
})
export class MetricsModule {}
