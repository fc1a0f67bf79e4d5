import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { type Request, type Response } from 'express';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/env';
import { msg, Problem } from '../http/problem';
import { Public } from '../auth/public-route';
import { MetricsService } from './metrics.service';

@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async render(@Req() req: Request, @Res() res: Response): Promise<void> {
    const expected = this.config.METRICS_TOKEN;
    if (expected) {
      // Scrapers send the token as a bearer token in their own header; user tokens do not apply.
      const given = Buffer.from(req.header('x-metrics-token') ?? '');
      const want = Buffer.from(expected);
      if (given.length !== want.length || !timingSafeEqual(given, want)) {
        throw Problem.unauthorized(msg('metrics_token'));
      }
    }
    res.setHeader('Content-Type', this.metrics.contentType);
    res.send(await this.metrics.render());
  }
}
