import { DataSource } from 'typeorm';
import { createAdmin, createSpace, registerUser, type TestUser } from '../factories/identity';
import { createTopic, postComment } from '../factories/topics';
import { eventually } from '../utils/eventually';
import { startTestApp, type TestApp } from '../utils/app';
import { closeAll, connected, nextEvent, request } from '../utils/live-client';

/** The value of one series in a Prometheus text exposition, or undefined when it is absent. */
function series(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',').filter((l) => l !== '');
    if (wanted.every((l) => present.includes(l)) && present.length === wanted.length) {
      return Number(match[3]);
    }
  }
  return undefined;
}

async function scrape(t: TestApp): Promise<string> {
  return (await t.http.get('/metrics').expect(200)).text;
}

describe('metrics: sockets, rate limits, broadcasts, the pool', () => {
  let t: TestApp;
  let citizen: TestUser;
  let topicId: string;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT: '20', SOCKET_RATE_LIMIT: '5' });
    const admin = await createAdmin(t);
    citizen = await registerUser(t);
    const space = await createSpace(t, admin);
    topicId = (await createTopic(t, citizen, space.id)).id;
  });

  afterAll(async () => {
    closeAll();
    await t.close();
  });

  it('counts socket events by name and outcome, and socket rate-limit refusals', async () => {
    const socket = await connected(t.url, { token: citizen.token });
    expect((await request(socket, 'topic:watch', { topicId })).ok).toBe(true);
    const invalid = await request(socket, 'topic:watch', { topicId: 'not-a-uuid' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    // 5 events per 10 s: three more pass, the sixth is refused.
    for (let i = 0; i < 3; i++) await request(socket, 'topic:watch', { topicId });
    const refused = await request(socket, 'topic:watch', { topicId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited' } });

    const text = await scrape(t);
    expect(
      series(text, 'madang_socket_events_total', { event: 'topic:watch', outcome: 'ok' }),
    ).toBe(4);
    expect(
      series(text, 'madang_socket_events_total', {
        event: 'topic:watch',
        outcome: 'validation_failed',
      }),
    ).toBe(1);
    expect(
      series(text, 'madang_socket_events_total', { event: 'topic:watch', outcome: 'rate_limited' }),
    ).toBe(1);
    expect(series(text, 'madang_rate_limited_total', { transport: 'socket' })).toBe(1);
  });

  it('counts HTTP rate-limit refusals', async () => {
    const before = series(await scrape(t), 'madang_rate_limited_total', { transport: 'http' }) ?? 0;
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await t.http.get('/api/v1/rooms')).status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(series(await scrape(t), 'madang_rate_limited_total', { transport: 'http' })).toBe(
      before + 1,
    );
  });

  it('times broadcasts from the publish of their event', async () => {
    const watcher = await connected(t.url, {});
    expect((await request(watcher, 'topic:watch', { topicId })).ok).toBe(true);
    const arrived = nextEvent(watcher, 'comment:new');
    await postComment(t, citizen, topicId, { body: '지표를 위한 댓글' });
    await arrived;

    const text = await scrape(t);
    expect(
      series(text, 'madang_broadcasts_total', { event: 'comment:new' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      series(text, 'madang_broadcast_latency_seconds_count', { event: 'comment:new' }),
    ).toBeGreaterThanOrEqual(1);
    const sum = series(text, 'madang_broadcast_latency_seconds_sum', { event: 'comment:new' })!;
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(5);
  });

  it('shows the pool: connections in use and idle, within the pool size', async () => {
    const text = await scrape(t);
    const inUse = series(text, 'madang_db_pool_connections', { state: 'in_use' });
    const idle = series(text, 'madang_db_pool_connections', { state: 'idle' });
    expect(inUse).toBeGreaterThanOrEqual(0);
    expect(idle).toBeGreaterThanOrEqual(1); // the requests above left connections behind
    expect(inUse! + idle!).toBeLessThanOrEqual(t.config.DATABASE_POOL_SIZE);
    expect(series(text, 'madang_db_pool_waiting')).toBe(0);
    expect(series(text, 'madang_db_pool_acquire_timeouts_total')).toBe(0);
  });
});

describe('metrics: a pool with no free connection', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Without the notifier's sweep, which would wait for the one connection every 15 s.
    t = await startTestApp({ DATABASE_POOL_SIZE: '1', NOTIFY_SWEEP_SECONDS: '0' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('shows the waiting request, then counts its acquisition timeout', async () => {
    // The only connection is held (not slept on: a held client stays in use however slow the
    // machine is), so the request below waits for one and gives up after 5 s.
    const holder = t.app.get(DataSource).createQueryRunner();
    await holder.connect();
    try {
      expect(series(await scrape(t), 'madang_db_pool_connections', { state: 'in_use' })).toBe(1);
      const waiting = t.http.get('/api/v1/spaces').then((res) => res);
      // At least the request: a timer of the app's (the phase scheduler, the speaker timer) may
      // be waiting for the one connection in the same seconds, and then the gauge reads 2.
      await eventually(
        async () => series(await scrape(t), 'madang_db_pool_waiting'),
        (waiting) => waiting !== undefined && waiting >= 1,
      );
      const refused = await waiting;
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('service_unavailable');
      // At least the request's own; a timer of the app's (e.g. the speaker timer) that asked
      // for the one connection during the same seconds counts its timeout too.
      expect(
        series(await scrape(t), 'madang_db_pool_acquire_timeouts_total'),
      ).toBeGreaterThanOrEqual(1);
    } finally {
      await holder.release();
    }
    const after = await t.http.get('/api/v1/spaces');
    expect(after.status).toBe(200);
  }, 30_000);
});
