/**
 * B7 — exact agrees under load. 1,000 users agree with one topic at once over HTTP
 * (`PUT /topics/:id/agree`), each sending its agree several times (a client retrying after a
 * timeout), in shuffled order, many in flight. Every run must end with the count equal to the
 * distinct users, in the topic row and in the agree rows. Baseline: the bare `pg` insert of
 * the same rows (insert-only, ON CONFLICT DO NOTHING), same pool size, same callers.
 * B7c does the same with one comment (`PUT /comments/:id/agree`), alternating with B7 in
 * each round. Each target's figure is the median of all its rounds.
 *
 *   npm run bench:b7    (B7_USERS=1000 B7_ATTEMPTS=3 B7_CONCURRENCY=64 B7_ROUNDS=3)
 */
import 'reflect-metadata';
import { collect } from './lib/clients';
import { api, createUsers, createWorld } from './lib/database';
import { cpuSeconds, runMain } from './lib/processes';
import { envNumber, log, machine, median, type Row, save, summary } from './lib/report';
import { rawWrites, shuffled, startWriteRig } from './lib/write-rig';

const USERS = envNumber('B7_USERS', 1000);
const ATTEMPTS = envNumber('B7_ATTEMPTS', 3);
const CONCURRENCY = envNumber('B7_CONCURRENCY', 64);
const ROUNDS = envNumber('B7_ROUNDS', 3);
const POOL = 10;

type Target = 'topic' | 'comment';
/** Each round alternates the targets and, for each, the product and the bare `pg` baseline. */
const STEPS: [Target, 'madang' | 'raw pg'][] = [
  ['topic', 'madang'],
  ['topic', 'raw pg'],
  ['comment', 'madang'],
  ['comment', 'raw pg'],
];

async function main(): Promise<void> {
  const rig = await startWriteRig('b7');
  const { db, server, load, pool } = rig;
  const rounds: Record<string, unknown>[] = [];
  try {
    const world = await createWorld(server.url, db.url);
    const users = await createUsers(db.url, USERS);
    const order = shuffled(
      users.flatMap((u) => Array.from({ length: ATTEMPTS }, () => u)),
      42,
    );
    for (let round = 0; round < ROUNDS; round++) {
      for (const [target, kind] of STEPS) {
        const topic = await api<{ id: string }>(
          server.url,
          'POST',
          `/spaces/${world.spaceId}/topics`,
          world.admin.token,
          { title: `공감 측정 ${round} ${target} ${kind}`, body: '측정용 주제입니다.' },
        );
        const comment =
          target === 'comment'
            ? await api<{ id: string }>(
                server.url,
                'POST',
                `/topics/${topic.id}/comments`,
                world.admin.token,
                { body: '모두가 공감할 의견입니다.' },
              )
            : undefined;
        const path = comment
          ? `/api/v1/comments/${comment.id}/agree`
          : `/api/v1/topics/${topic.id}/agree`;
        await load.ask({ type: 'reset' });
        const cpu0 = cpuSeconds(server.pid);
        const t0 = performance.now();
        if (kind === 'madang') {
          await load.ask({
            type: 'http',
            base: server.url,
            requests: order.map((u) => ({ method: 'PUT', path, token: u.token })),
            concurrency: CONCURRENCY,
            durationMs: 600_000,
            limit: order.length,
          });
        } else {
          await rawWrites(rig, {
            poolSize: POOL,
            concurrency: CONCURRENCY,
            sql: comment
              ? 'INSERT INTO comment_agrees (comment_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING'
              : 'INSERT INTO topic_agrees (topic_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
            params: order.map((u) => [comment?.id ?? topic.id, u.id]),
          });
        }
        const seconds = (performance.now() - t0) / 1000;
        const serverCpu = cpuSeconds(server.pid) - cpu0;
        const stats = await collect([load]);
        const counted = await pool.query<{ rows: string; count: number }>(
          comment
            ? `SELECT (SELECT count(*) FROM comment_agrees WHERE comment_id = $1) AS rows, agree_count AS count FROM comments WHERE id = $1`
            : `SELECT (SELECT count(*) FROM topic_agrees WHERE topic_id = $1) AS rows, agree_count AS count FROM topics WHERE id = $1`,
          [comment?.id ?? topic.id],
        );
        const rowsInDb = Number(counted.rows[0]?.rows);
        const countInDb = counted.rows[0]?.count ?? -1;
        const errors = Object.fromEntries(
          Object.entries(stats.httpStatus).filter(([k]) => k !== '200'),
        );
        const exact =
          rowsInDb === USERS &&
          (kind === 'raw pg' || (countInDb === USERS && Object.keys(errors).length === 0));
        const r = {
          target,
          kind,
          round: round + 1,
          requests: order.length,
          seconds,
          perSecond: order.length / seconds,
          distinctPerSecond: USERS / seconds,
          latency: summary(stats.latency),
          serverCpu,
          rowsInDb,
          countInDb,
          errors,
          exact,
        };
        rounds.push(r);
        log(
          `${target === 'comment' ? 'B7c' : 'B7'} ${kind} round ${round + 1}: ${order.length} agrees in ${seconds.toFixed(2)} s = ${r.perSecond.toFixed(0)}/s (distinct ${r.distinctPerSecond.toFixed(0)}/s), p50 ${r.latency.p50.toFixed(1)} p99 ${r.latency.p99.toFixed(1)} ms; rows ${rowsInDb}, count ${countInDb}, errors ${JSON.stringify(errors)}`,
        );
      }
    }
  } finally {
    await rig.stop();
  }
  type R = {
    target: Target;
    kind: string;
    perSecond: number;
    distinctPerSecond: number;
    latency: { p50: number; p99: number; max: number };
    serverCpu: number;
    requests: number;
    exact: boolean;
  };
  const list = rounds as unknown as R[];
  const rowOf = (target: Target): Row => {
    const mine = list.filter((r) => r.target === target);
    const subject = mine.filter((r) => r.kind === 'madang');
    const raw = mine.filter((r) => r.kind === 'raw pg');
    const value = median(subject.map((r) => r.perSecond));
    const base = median(raw.map((r) => r.perSecond));
    const exact = mine.every((r) => r.exact);
    const what = target === 'comment' ? 'one comment' : 'one topic';
    return {
      id: target === 'comment' ? 'B7c' : 'B7',
      case: `${USERS.toLocaleString('en-US')} users agree with ${what} at once, each ${ATTEMPTS}× (retries), ${CONCURRENCY} in flight`,
      rate: 'closed loop',
      p50: median(subject.map((r) => r.latency.p50)),
      p99: median(subject.map((r) => r.latency.p99)),
      max: median(subject.map((r) => r.latency.max)),
      perCpuSecond: median(subject.map((r) => r.requests / r.serverCpu)),
      metric: 'agree requests/s',
      value,
      baseline: base,
      ratio: value / base,
      target: 'count exact every run; ≥ 2,000 agrees/s (median of every round)',
      met: exact && value >= 2000,
      correctness: exact
        ? `every run: ${USERS} rows = ${target} count = distinct users, no error`
        : `FAILED: ${JSON.stringify(mine.map((r) => r as unknown as { rowsInDb: number; countInDb: number }))}`,
      notes: `distinct agrees/s ${median(subject.map((r) => r.distinctPerSecond)).toFixed(0)}; the agrees with ${what} that reach the server in one turn of its event loop are one statement, whose last step takes the ${target} row's lock until its commit; repeats take no lock`,
    };
  };
  save({
    id: 'B7',
    title: 'exact agrees under load (a topic, B7; a comment, B7c)',
    machine: machine(),
    settings: {
      users: USERS,
      attempts: ATTEMPTS,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      pool: POOL,
    },
    rows: [rowOf('topic'), rowOf('comment')],
    rounds,
    findings: [],
  });
}

runMain(main);
