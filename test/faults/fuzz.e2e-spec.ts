import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { type DataSource } from 'typeorm';
import { MAX_PACKET_BYTES } from '../../src/core/realtime/socket-io.adapter';
import { closeAll, connected, nextEvent, request as ask } from '../utils/live-client';
import { RawLiveSocket } from '../utils/raw-socket';
import { PROJECT_ROOT } from '../utils/spawn-server';
import {
  bulkUsers,
  type Cluster,
  reportingNodes,
  startCluster,
  stopCluster,
} from '../cluster/helpers';

/** Every client→server event the server handles, read from the gateways' own metadata. */
function clientEvents(): string[] {
  const events = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.gateway.ts')) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the gateways are found by walking src/, so their paths are only known here
        const exported = require(path) as Record<string, unknown>;
        for (const value of Object.values(exported)) {
          if (typeof value !== 'function') continue;
          const proto = (value as { prototype: Record<string, unknown> }).prototype;
          for (const name of Object.getOwnPropertyNames(proto)) {
            const message: unknown = Reflect.getMetadata('message', proto[name] as object);
            if (typeof message === 'string') events.add(message);
          }
        }
      }
    }
  };
  walk(join(PROJECT_ROOT, 'src'));
  return [...events].sort();
}

const UUID = '00000000-0000-4000-8000-000000000000';
const deep = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** Payloads of every wrong shape, as JSON text (so that even what no encoder sends is sent). */
const PAYLOADS: [string, string][] = [
  ['null', 'null'],
  ['a number', '42'],
  ['a string', '"room"'],
  ['a boolean', 'true'],
  ['an empty array', '[]'],
  ['an array', `["${UUID}"]`],
  ['an empty object', '{}'],
  [
    'ids of the wrong type',
    '{"roomId":42,"topicId":true,"commentId":[],"questionId":{},"userId":null}',
  ],
  [
    'ids that are not UUIDs',
    '{"roomId":"r","topicId":"t","commentId":"c","questionId":"q","userId":"u"}',
  ],
  ['an unknown field', `{"roomId":"${UUID}","topicId":"${UUID}","isAdmin":true}`],
  ['a 60 KB string', `{"roomId":"${'x'.repeat(60_000)}"}`],
  ['5,000 levels deep', `{"roomId":"${UUID}","x":${deep(5000)}}`],
  ['__proto__', `{"roomId":"${UUID}","__proto__":{"role":"admin"}}`],
  ['constructor.prototype', `{"roomId":"${UUID}","constructor":{"prototype":{"role":"admin"}}}`],
];

/** Rows that no refused event may write. */
const TABLES = [
  'comments',
  'comment_agrees',
  'topic_agrees',
  'room_questions',
  'room_hands',
  'room_sanctions',
  'reports',
  'room_events',
  'topic_events',
  'audit_log',
];

/**
 * Fuzz, socket and HTTP: every event and every body route, fed every wrong shape, deep nesting,
 * prototype keys, oversized, malformed and binary packets. Each refusal is an answer with a code
 * (never `internal_error`, never silence, never 5xx), only an offending socket is closed, the
 * process lives, and nothing is written.
 */
describe('faults: fuzzing the socket and HTTP surfaces', () => {
  let cluster: Cluster;
  let db: DataSource;
  beforeAll(async () => {
    cluster = await startCluster();
    db = cluster.db;
  }, 60_000);
  afterAll(async () => {
    closeAll();
    await stopCluster(cluster);
  });

  const counts = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const table of TABLES) {
      const rows = (await db
        .query(`SELECT count(*)::int AS n FROM ${table}`)
        .catch(() => [{ n: -1 }])) as [{ n: number }];
      out[table] = rows[0].n;
    }
    return out;
  };

  it('every event answers every malformed payload with a refusal code, and nothing is written', async () => {
    const { a } = cluster;
    await reportingNodes(cluster.nodes, async () => {
      const events = clientEvents();
      expect(events.length).toBeGreaterThanOrEqual(25);
      const people = await bulkUsers(db, events.length, 'fuzz');
      const before = await counts();
      const codes = new Map<string, number>();
      const unanswered: string[] = [];
      const internal: string[] = [];
      // One person (and one anonymous connection) per event keeps every try within the limits.
      await Promise.all(
        events.map(async (event, i) => {
          for (const token of [people[i]!.token, undefined]) {
            const socket = await RawLiveSocket.open(a.url, token);
            try {
              for (const [name, payload] of PAYLOADS) {
                const ack = (await socket.emitRaw(event, payload).catch(() => undefined)) as
                  { ok: boolean; error?: { code: string } } | undefined;
                const what = `${event} ${token ? 'signed in' : 'anonymous'} ${name}`;
                if (!ack) unanswered.push(what);
                else if (ack.ok) internal.push(`${what}: accepted`);
                else {
                  codes.set(ack.error!.code, (codes.get(ack.error!.code) ?? 0) + 1);
                  if (ack.error!.code === 'internal_error') internal.push(what);
                }
              }
              // And no payload at all.
              const bare = (await socket.emitRaw(event, '""').catch(() => undefined)) as
                { ok: boolean } | undefined;
              if (!bare) unanswered.push(`${event} bare`);
            } finally {
              socket.close();
            }
          }
        }),
      );
      console.log(
        `fuzz: ${events.length} events × ${PAYLOADS.length + 1} payloads × 2 identities; refusals by code ${JSON.stringify(Object.fromEntries(codes))}`,
      );
      expect(unanswered).toEqual([]);
      expect(internal).toEqual([]);
      expect(await counts()).toEqual(before);
    });
  }, 120_000);

  it('oversized, malformed and binary packets close only the offending socket; the process lives', async () => {
    const { a, facilitator, citizen, spaceId } = cluster;
    await reportingNodes(cluster.nodes, async () => {
      const topic = await request(a.url)
        .post(`/api/v1/spaces/${spaceId}/topics`)
        .set(citizen.auth)
        .send({ title: '퍼징 중인 주제', body: '본문' })
        .expect(201);
      const topicId = (topic.body as { id: string }).id;
      const bystander = await connected(a.url, { token: facilitator.token });
      expect((await ask(bystander, 'topic:watch', { topicId })).ok).toBe(true);
      const before = await counts();

      const offences: [string, (s: RawLiveSocket) => void][] = [
        [
          'a text frame over the packet limit',
          (s) => s.send(`42/live,["chat:send",{"body":"${'x'.repeat(MAX_PACKET_BYTES + 10)}"}]`),
        ],
        [
          'a binary frame over the packet limit',
          (s) => s.send(Buffer.alloc(MAX_PACKET_BYTES + 10, 7)),
        ],
        ['a packet that is not JSON', (s) => s.send('42/live,1["room:join",{not json')],
        ['an unknown packet type', (s) => s.send('49/live,1["room:join",{}]')],
        [
          'binary where a string belongs',
          (s) => {
            s.send(`451-/live,1["room:join",{"roomId":{"_placeholder":true,"num":0}}]`);
            s.send(Buffer.from([1, 2, 3]));
          },
        ],
        [
          'an attachment that never comes, then text',
          (s) => {
            s.send(`452-/live,1["room:join",{"roomId":{"_placeholder":true,"num":0}}]`);
            s.send('42/live,2["room:leave",{}]');
          },
        ],
        ['a bare binary frame', (s) => s.send(Buffer.from([0xff, 0x00, 0x13, 0x37]))],
      ];
      const outcomes: string[] = [];
      for (const [name, offend] of offences) {
        const socket = await RawLiveSocket.open(a.url, citizen.token);
        offend(socket);
        const closed = await Promise.race([
          socket.done.then(() => 'closed'),
          new Promise((r) => setTimeout(() => r('open'), 3000)),
        ]);
        // Whatever happened to the offender, the node answers, and others are untouched.
        await request(a.url).get('/health/live').expect(200);
        outcomes.push(`${name}: ${String(closed)}`);
        socket.close();
      }
      console.log(`fuzz packets: ${outcomes.join('; ')}`);
      expect(
        outcomes
          .filter((o) => o.includes('over the packet limit'))
          .every((o) => o.endsWith('closed')),
      ).toBe(true);

      // The bystander never noticed: still connected and still receiving.
      expect(bystander.connected).toBe(true);
      const live = nextEvent<{ comment: { body: string } }>(bystander, 'comment:new');
      await request(a.url)
        .post(`/api/v1/topics/${topicId}/comments`)
        .set(citizen.auth)
        .send({ body: '아직 살아 있음' })
        .expect(201);
      expect((await live).comment.body).toBe('아직 살아 있음');
      // The one comment just posted is all that was written.
      const after = await counts();
      expect({
        ...after,
        comments: after.comments! - 1,
        topic_events: after.topic_events! - 1,
      }).toEqual(before);
    });
  }, 60_000);

  it('every HTTP route with a body answers malformed bodies with 4xx, never 5xx', async () => {
    const { a, admin } = cluster;
    await reportingNodes(cluster.nodes, async () => {
      const doc = (await request(a.url).get('/api/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, { requestBody?: unknown }>>;
      };
      const routes: { method: string; path: string }[] = [];
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const method of ['post', 'put', 'patch']) {
          if (ops[method]) routes.push({ method, path: path.replace(/\{[^}]+\}/g, UUID) });
        }
      }
      expect(routes.length).toBeGreaterThan(15);
      const bodies: [string, string, string][] = [
        [
          'wrong types',
          'application/json',
          '{"title":1,"body":[],"name":{},"email":false,"reason":null}',
        ],
        ['an array', 'application/json', '[1,2,3]'],
        ['not JSON', 'application/json', '{"title": '],
        ['5,000 levels deep', 'application/json', deep(5000)],
        ['__proto__', 'application/json', '{"__proto__":{"role":"admin"}}'],
        ['text/plain', 'text/plain', 'hello'],
        ['over the body limit', 'application/json', `{"body":"${'x'.repeat(110 * 1024)}"}`],
      ];
      const before = await counts();
      const serverErrors: string[] = [];
      const notProblems: string[] = [];
      const statuses = new Map<number, number>();
      for (const route of routes) {
        for (const [name, type, body] of bodies) {
          const res = await request(a.url)
            [route.method as 'post'](route.path)
            .set(admin.auth)
            .set('Content-Type', type)
            .send(body);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const what = `${route.method.toUpperCase()} ${route.path} ${name}: ${res.status}`;
          if (res.status >= 500) serverErrors.push(what);
          else if (!/^application\/problem\+json/.test(String(res.headers['content-type'])))
            notProblems.push(`${what} ${String(res.headers['content-type'])}`);
        }
      }
      console.log(
        `fuzz HTTP: ${routes.length} routes × ${bodies.length} bodies; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      expect(serverErrors).toEqual([]);
      expect(notProblems).toEqual([]);
      expect(await counts()).toEqual(before);
    });
  }, 120_000);
});
