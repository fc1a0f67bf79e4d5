import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createAdmin, createSpace } from '../factories/identity';
import { startTestApp, type TestApp } from '../utils/app';
import { builtFile, childEnv, NodeProcess, PROJECT_ROOT } from '../utils/spawn-server';

const CLIENT_DIR = join(PROJECT_ROOT, 'test', 'openapi-client');
const GENERATED = join(CLIENT_DIR, 'generated');

/** Runs a Node script to its end; fails with its output unless it exits 0. */
async function run(label: string, script: string, args: string[]): Promise<NodeProcess> {
  const child = new NodeProcess(label, script, args, childEnv({}));
  const exit = await child.waitForExit(90_000);
  if (exit === 'timeout') await child.kill();
  if (exit === 'timeout' || exit.code !== 0) throw new Error(child.report());
  return child;
}

/**
 * A TypeScript client generated from the OpenAPI document of the built server
 * (openapi-typescript, openapi-fetch), compiled with strict tsc together with a check that
 * every documented schema has exactly the shape of the view the server returns
 * (test/openapi-client/shapes.ts), then run against a real server: a registration, `GET /me`,
 * a space by its slug and a typed 404.
 */
describe('a client generated from the OpenAPI document', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('compiles against the views and talks to the server', async () => {
    await run('write-openapi', builtFile('tools/write-openapi.js'), [
      join(GENERATED, 'openapi.json'),
    ]);
    await run(
      'openapi-typescript',
      join(PROJECT_ROOT, 'node_modules/openapi-typescript/bin/cli.js'),
      [join(GENERATED, 'openapi.json'), '--output', join(GENERATED, 'schema.d.ts')],
    );
    await run('tsc', join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), [
      '-p',
      join(CLIENT_DIR, 'tsconfig.json'),
    ]);

    const admin = await createAdmin(t);
    const space = await createSpace(t, admin, { thresholds: { review: 7 } });
    const unknownTopic = randomUUID();
    const client = await run(
      'generated client',
      join(GENERATED, 'dist', 'test', 'openapi-client', 'client.js'),
      [t.url, space.slug, unknownTopic],
    );
    const report = JSON.parse(client.stdout);

    expect(report.registered).toEqual({
      status: 201,
      email: expect.stringMatching(/^client-.*@test\.madang$/),
      displayName: '생성된 클라이언트',
      tokenType: 'Bearer',
    });
    expect(report.me).toEqual({ status: 200, email: report.registered.email, spaces: 0 });
    expect(report.space).toEqual({
      status: 200,
      id: space.id,
      slug: space.slug,
      review: 7,
    });
    expect(report.missingTopic).toEqual({ status: 404, code: 'not_found' });

    // The account the client registered is real: it signs in through the test's own HTTP client.
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: report.registered.email, password: 'correct horse battery' });
    expect(login.status).toBe(200);
  }, 180_000);
});
