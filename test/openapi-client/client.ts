/**
 * A program written only against the client types generated from the OpenAPI document
 * (generated/schema.d.ts, made by openapi-typescript in test/e2e/openapi-client.e2e-spec.ts).
 * It compiles with tsc only while the document describes these routes, their parameters and
 * their answers as used here; run against a server, it prints what it got as one JSON line.
 *
 *   node generated/dist/test/openapi-client/client.js <baseUrl> <space slug> <unknown topic id>
 */
import createClient from 'openapi-fetch';
import { type components, type paths } from './generated/schema';

type Space = components['schemas']['Space'];
type Me = components['schemas']['Me'];
type ErrorCode = components['schemas']['Problem']['code'];

interface Report {
  registered: { status: number; email: string; displayName: string; tokenType: 'Bearer' };
  me: { status: number; email: string; spaces: number };
  space: { status: number; id: string; slug: string; review: number };
  missingTopic: { status: number; code: ErrorCode };
}

async function main(): Promise<Report> {
  const [baseUrl, slug, unknownTopicId] = process.argv.slice(2);
  if (!baseUrl || !slug || !unknownTopicId) throw new Error('usage: client <baseUrl> <slug> <id>');
  const api = createClient<paths>({ baseUrl });

  const email = `client-${Date.now().toString(36)}@test.madang`;
  const registered = await api.POST('/api/v1/auth/register', {
    body: { email, password: 'correct horse battery', displayName: '생성된 클라이언트' },
  });
  if (!registered.data) throw new Error(`register: ${registered.response.status}`);
  const token: string = registered.data.accessToken;

  const me = await api.GET('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
  if (!me.data) throw new Error(`me: ${me.response.status}`);
  const meBody: Me = me.data;

  // One path template for /spaces/{id}: it takes a slug as well as an id.
  const space = await api.GET('/api/v1/spaces/{id}', { params: { path: { id: slug } } });
  if (!space.data) throw new Error(`space: ${space.response.status}`);
  const spaceBody: Space = space.data;

  const missing = await api.GET('/api/v1/topics/{id}', {
    params: { path: { id: unknownTopicId } },
  });
  if (!missing.error) throw new Error('an unknown topic was found');

  return {
    registered: {
      status: registered.response.status,
      email: registered.data.user.email,
      displayName: registered.data.user.displayName,
      tokenType: registered.data.tokenType,
    },
    me: { status: me.response.status, email: meBody.email, spaces: meBody.spaces.length },
    space: {
      status: space.response.status,
      id: spaceBody.id,
      slug: spaceBody.slug,
      review: spaceBody.thresholds.review,
    },
    missingTopic: { status: missing.response.status, code: missing.error.code },
  };
}

main().then(
  (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
