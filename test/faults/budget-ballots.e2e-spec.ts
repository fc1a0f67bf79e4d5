import request from 'supertest';
import { type Ack, closeAll, connected, request as ask, sleep } from '../utils/live-client';
import { eventually } from '../utils/eventually';
import {
  bulkUsers,
  type Cluster,
  reportingNodes,
  startCluster,
  stopCluster,
} from '../cluster/helpers';

/** Up to `tries` tries, after a 503 (its Retry-After) or a lost answer; the last status. */
async function withRetries(
  tries: number,
  attempt: () => Promise<request.Response>,
  seen: Map<string, number>,
): Promise<number> {
  let status = 0;
  for (let i = 0; i < tries; i++) {
    const res = await attempt().catch(() => undefined);
    status = res?.status ?? 0;
    const key = res
      ? `${res.status}${res.body?.code ? ` ${res.body.code as string}` : ''}`
      : 'no answer';
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (status !== 503 && status !== 0) return status;
    await sleep((Number(res?.headers['retry-after']) || 1) * 1000);
  }
  return status;
}

/**
 * 2,000 roll voters of one budget, on two nodes at the shipped limits, cast and then change
 * their ballots all at once, retrying as a client does, while officers record on-site ballots
 * for 200 of the same lines at the same moment. Afterwards: one ballot row per line, no line
 * counted twice, every line's ballot the one it meant last (or the on-site one, which then
 * refused the online ones), and the tally equal to a recount of the intended ballots.
 */
describe('faults: 2,000 voters cast and change budget ballots across two nodes with on-site votes', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  }, 60_000);
  afterAll(async () => {
    closeAll();
    await stopCluster(cluster);
  });

  it('ballot rows = lines, nobody twice, tally = recount', async () => {
    await reportingNodes(cluster.nodes, async () => {
      const { a, b, db, facilitator, citizen, spaceId } = cluster;
      const api = (path: string): string => `/api/v1${path}`;
      const classes = ['citizen', 'committee', 'school', 'proposer'];
      const created = await request(a.url)
        .post(api(`/spaces/${spaceId}/budgets`))
        .set(facilitator.auth)
        .send({
          title: '2020년 서울시 시민참여예산',
          totalAmount: 100,
          rule: { kind: 'approval', maxChoices: 3 },
          electorate: 'roll',
          liveTally: true,
          voterClasses: [
            { key: 'citizen', name: '일반 시민', weight: 50 },
            { key: 'committee', name: '위원', weight: 30 },
            { key: 'school', name: '예산학교', weight: 10 },
            { key: 'proposer', name: '제안자', weight: 10 },
          ],
        })
        .expect(201);
      const budgetId = (created.body as { id: string }).id;
      const heading = await request(a.url)
        .post(api(`/budgets/${budgetId}/headings`))
        .set(facilitator.auth)
        .send({ name: '시 전체', amount: 100 })
        .expect(201);
      const headingId = (heading.body as { headings: { id: string }[] }).headings[0]!.id;
      const projects: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await request(b.url)
          .post(api(`/budgets/${budgetId}/projects`))
          .set(citizen.auth)
          .send({
            headingId,
            title: `시민 제안 사업 ${i + 1}`,
            summary: '요약',
            body: '본문',
            amount: 10 + i * 5,
          })
          .expect(201);
        projects.push((res.body as { id: string }).id);
      }
      await request(a.url)
        .post(api(`/budgets/${budgetId}/phase`))
        .set(facilitator.auth)
        .send({ to: 'review' })
        .expect(200);
      for (const id of projects)
        await request(a.url)
          .post(api(`/projects/${id}/review`))
          .set(facilitator.auth)
          .send({ feasible: true, explanation: '적격' })
          .expect(200);
      await request(a.url)
        .post(api(`/budgets/${budgetId}/phase`))
        .set(facilitator.auth)
        .send({ to: 'voting' })
        .expect(200);

      const n = 2000;
      const users = await bulkUsers(db, n, 'ballot');
      const classOf = (i: number): string =>
        classes[i % 10 === 0 ? 1 : i % 10 === 1 ? 2 : i % 10 === 2 ? 3 : 0]!;
      const roll = await request(a.url)
        .put(api(`/budgets/${budgetId}/voters`))
        .set(facilitator.auth)
        .set('Content-Type', 'text/csv')
        .send(
          ['ref,heading,class', ...users.map((_, i) => `R-${i},시 전체,${classOf(i)}`)].join('\n'),
        )
        .expect(200);
      const codes = new Map(
        (roll.body as { codes: { ref: string; code: string }[] }).codes.map((c) => [c.ref, c.code]),
      );
      expect(codes.size).toBe(n);
      const seen = new Map<string, number>();
      for (let i = 0; i < n; i += 250) {
        const claims = await Promise.all(
          users.slice(i, i + 250).map((u, j) =>
            withRetries(
              3,
              () =>
                request((i + j) % 2 ? a.url : b.url)
                  .post(api(`/budgets/${budgetId}/voters/claim`))
                  .set(u.auth)
                  .send({ code: codes.get(`R-${i + j}`) }),
              seen,
            ),
          ),
        );
        expect(claims.filter((s) => s !== 200)).toEqual([]);
      }

      const watcher = await connected(b.url);
      const tallies: unknown[] = [];
      watcher.on('budget:tally', (payload: unknown) => tallies.push(payload));
      const watch: Ack = await ask(watcher, 'budget:watch', { budgetId });
      expect(watch.ok).toBe(true);

      const first = (i: number): string[] => [projects[i % 6]!];
      const last = (i: number): string[] => [
        ...new Set([projects[(i * 7) % 6]!, projects[(i + 3) % 6]!]),
      ];
      const onsiteRefs = 200;
      const onsiteChoice = (i: number): string[] => [
        projects[(i + 1) % 6]!,
        projects[(i + 2) % 6]!,
      ];
      const onsiteStatus: number[] = [];
      const started = Date.now();
      await Promise.all([
        ...Array.from({ length: onsiteRefs }, async (_, i) => {
          if (i % 2 === 1) await sleep(400);
          onsiteStatus[i] = await withRetries(
            3,
            () =>
              request(i % 2 ? b.url : a.url)
                .post(api(`/budgets/${budgetId}/onsite-ballots`))
                .set(facilitator.auth)
                .send({ ref: `R-${i}`, ballots: [{ headingId, projectIds: onsiteChoice(i) }] }),
            seen,
          );
        }),
        ...users.map(async (u, i) => {
          const node = (k: number): string => ((i + k) % 2 ? a.url : b.url);
          // Half the lines also voted on site give the booth a head start, half the website.
          if (i < onsiteRefs && i % 2 === 0) await sleep(150);
          const s1 = await withRetries(
            3,
            () =>
              request(node(0))
                .put(api(`/budgets/${budgetId}/ballot`))
                .set(u.auth)
                .send({ headingId, projectIds: first(i) }),
            seen,
          );
          if (s1 !== 200) return;
          await withRetries(
            3,
            () =>
              request(node(1))
                .put(api(`/budgets/${budgetId}/ballot`))
                .set(u.auth)
                .send({ headingId, projectIds: last(i) }),
            seen,
          );
        }),
      ]);
      const elapsed = Date.now() - started;
      console.log(
        `budget ballots: ${n} voters × 2 + ${onsiteRefs} on site in ${elapsed} ms; answers ${JSON.stringify(Object.fromEntries(seen))}`,
      );

      // Nothing answered 5xx but a 503 that a retry then got through.
      expect([...seen.keys()].filter((k) => /^5\d\d/.test(k) && !k.startsWith('503'))).toEqual([]);
      const [{ rows, distinct }] = await db.query<[{ rows: number; distinct: number }]>(
        `SELECT count(*)::int AS rows, count(DISTINCT voter_key)::int AS distinct FROM budget_ballots WHERE budget_id = $1`,
        [budgetId],
      );
      expect(rows).toBe(n);
      expect(distinct).toBe(n);
      // Each line's ballot, whole: on site where the on-site ballot got in, else its last online one.
      const stored = await db.query<{ ref: string; channel: string; projects: string[] }[]>(
        `SELECT v.ref, bb.channel, array_agg(c.project_id::text ORDER BY c.rank) AS projects
           FROM budget_ballots bb JOIN budget_voters v ON v.id = bb.voter_id
           JOIN budget_ballot_choices c ON c.ballot_id = bb.id
          WHERE bb.budget_id = $1 GROUP BY v.ref, bb.channel`,
        [budgetId],
      );
      expect(stored).toHaveLength(n);
      const points: Record<string, Record<string, number>> = {};
      const ballots: Record<string, number> = { citizen: 0, committee: 0, school: 0, proposer: 0 };
      for (const row of stored) {
        const i = Number(row.ref.slice(2));
        const onsite = i < onsiteRefs && onsiteStatus[i] === 201;
        expect({ ref: row.ref, channel: row.channel }).toEqual({
          ref: row.ref,
          channel: onsite ? 'onsite' : 'online',
        });
        const want = onsite ? onsiteChoice(i) : last(i);
        expect({ ref: row.ref, projects: row.projects }).toEqual({ ref: row.ref, projects: want });
        const cls = classOf(i);
        ballots[cls]!++;
        for (const p of want) {
          points[p] ??= { citizen: 0, committee: 0, school: 0, proposer: 0 };
          points[p][cls]!++;
        }
      }
      const results = await request(a.url)
        .get(api(`/budgets/${budgetId}/results`))
        .expect(200);
      const tally = (
        results.body as {
          headings: {
            ballots: { online: number; onsite: number };
            projects: { projectId: string; points: Record<string, number>; score: number }[];
          }[];
        }
      ).headings[0]!;
      expect(tally.ballots.online + tally.ballots.onsite).toBe(n);
      const weights: Record<string, number> = {
        citizen: 50,
        committee: 30,
        school: 10,
        proposer: 10,
      };
      for (const p of tally.projects) {
        expect({ project: p.projectId, points: p.points }).toEqual({
          project: p.projectId,
          points: points[p.projectId],
        });
        const score = classes.reduce(
          (s, c) => s + (weights[c]! * points[p.projectId]![c]!) / ballots[c]!,
          0,
        );
        expect(p.score).toBeCloseTo(score, 3);
      }
      // The live tally reached the watcher on the other node, and its last one is the recount.
      await eventually(
        () => JSON.stringify((tallies.at(-1) as { headings?: unknown } | undefined)?.headings),
        (last) => last === JSON.stringify((results.body as { headings: unknown }).headings),
        10_000,
      );
      console.log(
        `budget ballots: ${tallies.length} live tallies over ${elapsed} ms; on site ${onsiteStatus.filter((s) => s === 201).length} of ${onsiteRefs}`,
      );
      expect(tallies.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 500) + 2);
    });
  }, 600_000);
});
