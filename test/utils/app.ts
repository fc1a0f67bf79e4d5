import { type NestExpressApplication } from '@nestjs/platform-express';
import { type AddressInfo } from 'node:net';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/app.factory';
import { type AppConfig, loadConfig } from '../../src/core/config/env';
import { createLogger } from '../../src/core/logging/logger';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: TestAgent;
  /** Where the app listens (loopback, a free port), for socket clients. */
  url: string;
  close(): Promise<void>;
}

/**
 * Boots the whole application against the run's real PostgreSQL (and Redis when asked),
 * configured as in production apart from `overrides`.
 */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ ...process.env, ...overrides });
  const app = await createApp(config, createLogger(config.LOG_LEVEL));
  // A real listening server, so socket clients can connect as browsers would.
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    config,
    url: `http://127.0.0.1:${address.port}`,
    http: request(app.getHttpServer()),
    close: () => app.close(),
  };
}
