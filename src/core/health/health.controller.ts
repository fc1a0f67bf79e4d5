import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public-route';
import { ApiDoc } from '../openapi/api-doc';
import { RedisService } from '../redis/redis.module';
import {
  type Check,
  LiveSchema,
  type LiveView,
  ReadySchema,
  type ReadyView,
} from './health.openapi';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: RedisService,
  ) {}

  @Get('live')
  @ApiDoc({
    summary: 'Liveness: the process is up',
    description: 'A load balancer restarts the node when this fails.',
    status: 200,
    type: LiveSchema,
  })
  live(): LiveView {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiDoc({
    summary: 'Readiness: the node can serve',
    description:
      'Its database (and Redis, when configured) answer. When one is down it answers 503 ' +
      'with the same body and `status: unavailable`.',
    status: 200,
    type: ReadySchema,
  })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down.', type: ReadySchema })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadyView> {
    const [database, redis] = await Promise.all([this.database(), this.redisCheck()]);
    const ok = database === 'up' && redis !== 'down';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    res.setHeader('Cache-Control', 'no-store');
    return { status: ok ? 'ok' : 'unavailable', checks: { database, redis } };
  }

  private async database(): Promise<Check> {
    try {
      await this.dataSource.query('SELECT 1');
      return 'up';
    } catch {
      return 'down';
    }
  }

  private async redisCheck(): Promise<Check> {
    if (!this.redis.client) return 'disabled';
    return (await this.redis.ping()) ? 'up' : 'down';
  }
}
