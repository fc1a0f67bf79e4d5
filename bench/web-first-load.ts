/**
 * First load of the web client on localhost: the topic page (a topic with 60 comments) and the
 * embed widget on a committee page of another origin, each in a fresh browser context (empty
 * cache), measured to "content visible" (the topic's heading and its first comment) and
 * reported with the browser's own navigation timings; plus the gzipped size of every bundle.
 *
 *   npm run build && node -r ts-node/register/transpile-only bench/web-first-load.ts
 *   (RUNS=15)
 *
 * Needs PostgreSQL (a scratch database is created and dropped) and /usr/bin/chromium.
 */
import 'reflect-metadata';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { WEB_DIR } from '../src/core/http/web-client';
import { createAdmin, createSpace, registerUser } from '../test/factories/identity';
import { startTestApp } from '../test/utils/app';
import { hostPage, launchBrowser } from '../test/utils/browser';

const RUNS = Number(process.env.RUNS ?? 15);
const ADMIN_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p90 = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? NaN;

function bundleSizes(): { file: string; bytes: number; gzip: number }[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(js|css|html)$/.test(name)) files.push(path);
    }
  };
  walk(WEB_DIR);
  return files.map((path) => {
    const body = readFileSync(path);
    return {
      file: path.slice(WEB_DIR.length + 1),
      bytes: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
    };
  });
}

async function main(): Promise<void> {
  const name = `madang_bench_web_${Date.now()}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const host = await hostPage(() => html);
  let html = '';
  const t = await startTestApp({
    DATABASE_URL: url.toString(),
    MIGRATIONS_RUN: 'true',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    // The shipped limits: two sign-ups, 60 comments and a few reads per page load fit in them.
  });
  const browser = await launchBrowser();
  try {
    const boss = await createAdmin(t);
    const space = await createSpace(t, boss, { embedOrigins: [host.origin] });
    const author = await registerUser(t, { displayName: '작성자' });
    const topic = await t.http
      .post(`/api/v1/spaces/${space.id}/topics`)
      .set(author.auth)
      .send({ title: '첫 화면 측정용 주제', body: '본문입니다.' })
      .expect(201);
    const topicId = (topic.body as { id: string }).id;
    for (let i = 0; i < 60; i++)
      await t.http
        .post(`/api/v1/topics/${topicId}/comments`)
        .set(author.auth)
        .send({ body: `의견 ${i} — 충분히 긴 한국어 문장으로 된 댓글 본문입니다.` })
        .expect(201);
    html = `<!doctype html><meta charset="utf-8"><h1>위원회</h1><script src="${t.url}/embed.js" data-topic="${topicId}" async></script>`;

    const topicMs: number[] = [];
    const topicDcl: number[] = [];
    const widgetMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Alternate the two, each in a fresh context (no cache, no storage).
      {
        const context = await browser.context();
        const page = await context.newPage();
        const start = Date.now();
        await page.goto(`${t.url}/topics/${topicId}`);
        await page.locator('.comment-body').first().waitFor();
        await page.getByRole('heading', { name: '첫 화면 측정용 주제' }).waitFor();
        topicMs.push(Date.now() - start);
        topicDcl.push(
          await page.evaluate<number>(
            `(() => { const n = performance.getEntriesByType('navigation')[0]; return n.domContentLoadedEventEnd - n.startTime; })()`,
          ),
        );
        if (process.env.TRACE && run === RUNS - 1)
          process.stderr.write(
            `${await page.evaluate<string>(
              `performance.getEntries().map((e) => e.entryType + ' ' + e.name.replace(location.origin, '') + ' ' + Math.round(e.startTime) + '→' + Math.round(e.startTime + e.duration)).join('\\n')`,
            )}\n`,
          );
        await context.close();
      }
      {
        const context = await browser.context();
        const page = await context.newPage();
        const start = Date.now();
        await page.goto(host.origin);
        const widget = page.frameLocator('iframe[src*="/embed/topics/"]');
        await widget.locator('.comment-body').first().waitFor();
        await widget.getByRole('heading', { name: '첫 화면 측정용 주제' }).waitFor();
        widgetMs.push(Date.now() - start);
        await context.close();
      }
    }
    const sizes = bundleSizes();
    const result = {
      runs: RUNS,
      topicPage: {
        medianMs: median(topicMs),
        p90Ms: p90(topicMs),
        domContentLoadedMedianMs: Math.round(median(topicDcl)),
      },
      widgetOnHostPage: { medianMs: median(widgetMs), p90Ms: p90(widgetMs) },
      bundles: sizes,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await browser.close();
    await t.close();
    await host.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

void main();
