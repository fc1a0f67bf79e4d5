import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { applyGlobalPrefix } from '../app.factory';
import { AppModule } from '../app.module';
import { loadConfig } from '../core/config/env';
import { createLogger } from '../core/logging/logger';
import { buildOpenApiDocument } from '../core/openapi/openapi-document';

/**
 * Writes the OpenAPI document of the built server to the file named by the first argument
 * (`npm run lint:openapi`; the client test). The application is created in Nest's preview
 * mode: the module graph and its routes exist, but no provider is instantiated, so neither a
 * database nor Redis is needed. The settings below are placeholders that nothing reads.
 */
async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write('usage: node dist/tools/write-openapi.js <file.json>\n');
    process.exit(2);
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    JWT_SECRET: 'placeholder-secret-of-a-document-that-signs-nothing',
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create(
    AppModule.forRoot(config, createLogger('silent')),
    new ExpressAdapter(),
    { preview: true, logger: false, abortOnError: false },
  );
  applyGlobalPrefix(app);
  const document = buildOpenApiDocument(app);
  await app.close();
  const path = resolve(target);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`OpenAPI document: ${path} (${Object.keys(document.paths).length} paths)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
