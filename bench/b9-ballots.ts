/**
 * B9 — the ballot rush. 5,000 residents on a 마을총회's voter roll cast their ballot
 * (`PUT /budgets/:id/ballot`) in the last minute before the 16:00 close, while the assembly's
 * screen watches the live tally (`budget:watch`, `liveTally` on). The budget is what a 마을총회
 * votes on: one heading (the 동), ten feasible projects, the `ranked` rule (priority order, Borda)
 * with three choices, and a roll electorate: the assembly votes its residents, each with the code
 * mailed to them and claimed, so each ballot goes through the roll lookup a real one does.
 *
 * Each round, each step on a fresh budget:
 *  - rush: every voter once, open loop at RATE/s (the intended send time is where latency counts
 *    from, so a server that falls behind shows it), CONNECTIONS connections;
 *  - saturation: every voter once, closed loop with CONCURRENCY in flight: the most ballots/s;
 *  - raw pg: the same ballot rows (ballot + its three choices, one statement) through a bare `pg`
 *    pool of the server's size with CONCURRENCY callers: the baseline of the saturation step.
 * After each product step the facilitator closes the vote (`results`), as at 16:00.
 *
 * Exact means, every product step: every answer 200; one ballot row per voter and no voter twice;
 * each stored ballot the one its voter sent; the live tally (`GET /budgets/:id/results`) equal to
 * a recount from the ballot rows and to the count of what was sent; the watcher's last tally
 * equal to it; the final result after the close equal to it too.
 *
 * Setup (5,000 users, the roll's claims) goes straight to the database: the roll is imported
 * through the API (one CSV), and its codes are claimed by their hash in one UPDATE, as
 * `POST /budgets/:id/voters/claim` does one at a time. Only the ballots are measured.
 *
 *   npm run bench:b9    (B9_VOTERS=5000 B9_RATE=1000 B9_CONNECTIONS=256 B9_CONCURRENCY=64 B9_ROUNDS=3)
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { collect } from './lib/clients';
import { api, createUsers, createWorld } from './lib/database';
import { nowMs } from './lib/histogram';
import { type Payload, RawLiveSocket } from './lib/live-socket';
import { cpuSeconds, rssBytes, runMain, sleep } from './lib/processes';
import { envNumber, log, machine, median, type Row, save, summary } from './lib/report';
import { rawWrites, shuffled, startWriteRig } from './lib/write-rig';

const VOTERS = envNumber('B9_VOTERS', 5000);
const RATE = envNumber('B9_RATE', 1000);
const CONNECTIONS = envNumber('B9_CONNECTIONS', 256);
const CONCURRENCY = envNumber('B9_CONCURRENCY', 64);
const ROUNDS = envNumber('B9_ROUNDS', 3);
const PROJECTS = 10;
const CHOICES = 3;
/** The server's pool (DATABASE_POOL_SIZE, shipped default): the baseline gets as many connections. */
const POOL = 10;
const HEADING = '○○동';

type Step = 'rush' | 'saturation' | 'raw pg';
/** B9_STEPS=saturation (say) runs some of the steps, e.g. under a profiler. */
const STEPS: Step[] = (process.env.B9_STEPS?.split(',') as Step[] | undefined) ?? [
  'rush',
  'raw pg',
  'saturation',
];

interface Tally {
  headings: {
    ballots: { online: number; onsite: number; paper: number };
    projects: { projectId: string; score: number; points: Record<string, number> }[];
  }[];
}

interface Budget {
  id: string;
  headingId: string;
  projects: string[];
  /** Roll line id by voter index (for the raw pg rows). */
  lines: string[];
}

/**
 * Voter i's priority order: three distinct projects, drawn with uneven odds (project k weighs
 * k + 1) so the tally has a clear order and ties are rare.
 */
function choicesOf(i: number): number[] {
  let s = (i * 2654435761) >>> 0 || 1;
  const picked: number[] = [];
  while (picked.length < CHOICES) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    let r = s % ((PROJECTS * (PROJECTS + 1)) / 2);
    let k = 0;
    while (r >= k + 1) {
      r -= k + 1;
      k++;
    }
    if (!picked.includes(k)) picked.push(k);
  }
  return picked;
}

/** Borda points per project (index) and the ballots, counted from what the voters sent. */
function intended(): { points: number[]; ballots: number } {
  const points = Array.from({ length: PROJECTS }, () => 0);
  for (let i = 0; i < VOTERS; i++)
    choicesOf(i).forEach((k, rank) => (points[k]! += CHOICES - rank));
  return { points, ballots: VOTERS };
}

async function main(): Promise<void> {
  const rig = await startWriteRig('b9');
  const { db, server, load, pool } = rig;
  const rounds: Record<string, unknown>[] = [];
  const expected = intended();
  try {
    const world = await createWorld(server.url, db.url);
    // The facilitators' setup calls are spread over a few administrators and the proposals over
    // a few residents, so none comes near the shipped per-user limit of 300 requests a minute.
    const admins = [world.admin, ...(await createUsers(db.url, 5, 'admin'))];
    const proposers = await createUsers(db.url, 5);
    const voters = await createUsers(db.url, VOTERS);
    const order = shuffled(
      voters.map((_, i) => i),
      9,
    );
    let made = 0;

    const makeBudget = async (label: string): Promise<Budget> => {
      const admin = admins[made++ % admins.length]!.token;
      const call = <T>(method: string, path: string, body?: unknown, token = admin) =>
        api<T>(server.url, method, path, token, body);
      const budget = await call<{ id: string }>('POST', `/spaces/${world.spaceId}/budgets`, {
        title: `2027년 ○○동 마을총회 ${label}`,
        description: '주민이 정한 우선순위로 마을 의제를 정합니다.',
        totalAmount: 30_000_000,
        rule: { kind: 'ranked', maxChoices: CHOICES },
        electorate: 'roll',
        liveTally: true,
      });
      const view = await call<{ headings: { id: string }[] }>(
        'POST',
        `/budgets/${budget.id}/headings`,
        { name: HEADING, amount: 30_000_000 },
      );
      const headingId = view.headings[0]!.id;
      const projects: string[] = [];
      for (let k = 0; k < PROJECTS; k++) {
        const p = await call<{ id: string }>(
          'POST',
          `/budgets/${budget.id}/projects`,
          {
            headingId,
            title: `마을 의제 ${k + 1}번`,
            summary: '주민 제안',
            body: '마을총회에서 우선순위를 정할 의제입니다.',
            amount: 2_000_000 + k * 500_000,
          },
          proposers[k % proposers.length]!.token,
        );
        projects.push(p.id);
      }
      await call('POST', `/budgets/${budget.id}/phase`, { to: 'review' });
      for (const id of projects)
        await call('POST', `/projects/${id}/review`, { feasible: true, explanation: '적격' });
      // The roll: one line per resident, imported as a facilitator does (one CSV).
      const csv = [
        'ref,heading,class',
        ...voters.map((_, i) => `R-${String(i).padStart(5, '0')},${HEADING},`),
      ].join('\n');
      const res = await fetch(`${server.url}/api/v1/budgets/${budget.id}/voters`, {
        method: 'PUT',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin}` },
        body: csv,
      });
      const roll = (await res.json()) as { codes: { ref: string; code: string }[] };
      if (res.status !== 200 || roll.codes.length !== VOTERS)
        throw new Error(`roll import: ${res.status} ${JSON.stringify(roll).slice(0, 300)}`);
      await call('POST', `/budgets/${budget.id}/phase`, { to: 'voting' });
      // Every resident claims their line with the code mailed to them: the claim's UPDATE, by
      // the code's hash, for all of them at once.
      const code = new Map(roll.codes.map((c) => [c.ref, c.code]));
      const hashes = voters.map((_, i) =>
        createHash('sha256')
          .update(code.get(`R-${String(i).padStart(5, '0')}`)!)
          .digest('hex'),
      );
      const claimed = await pool.query<{ id: string; ref: string }>(
        `UPDATE budget_voters v SET user_id = t.u, claimed_at = now()
           FROM unnest($2::text[], $3::uuid[]) AS t(h, u)
          WHERE v.budget_id = $1 AND v.code_hash = t.h AND v.user_id IS NULL
          RETURNING v.id, v.ref`,
        [budget.id, hashes, voters.map((v) => v.id)],
      );
      if (claimed.rowCount !== VOTERS) throw new Error(`claimed ${claimed.rowCount}`);
      const lineOf = new Map(claimed.rows.map((r) => [r.ref, r.id]));
      return {
        id: budget.id,
        headingId,
        projects,
        lines: voters.map((_, i) => lineOf.get(`R-${String(i).padStart(5, '0')}`)!),
      };
    };

    const ballotOf = (b: Budget, i: number) => ({
      headingId: b.headingId,
      projectIds: choicesOf(i).map((k) => b.projects[k]!),
    });

    /** A recount straight from the ballot rows: Borda points per project, ballots, duplicates. */
    const recount = async (b: Budget) => {
      const [counts, points, wrong] = await Promise.all([
        pool.query<{ rows: number; keys: number; users: number; lines: number; choices: number }>(
          `SELECT count(*)::int AS rows, count(DISTINCT voter_key)::int AS keys,
                  count(DISTINCT user_id)::int AS users, count(DISTINCT voter_id)::int AS lines,
                  (SELECT count(*)::int FROM budget_ballot_choices WHERE budget_id = $1) AS choices
             FROM budget_ballots WHERE budget_id = $1`,
          [b.id],
        ),
        pool.query<{ project_id: string; points: number }>(
          `SELECT c.project_id, sum(${CHOICES} + 1 - c.rank)::int AS points
             FROM budget_ballot_choices c JOIN budget_ballots bb ON bb.id = c.ballot_id
            WHERE bb.budget_id = $1 GROUP BY 1`,
          [b.id],
        ),
        // Each stored ballot against the one its voter sent (by the roll line's ref).
        pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM (
             SELECT v.ref, array_agg(c.project_id::text ORDER BY c.rank) AS got
               FROM budget_ballots bb JOIN budget_voters v ON v.id = bb.voter_id
               JOIN budget_ballot_choices c ON c.ballot_id = bb.id
              WHERE bb.budget_id = $1 GROUP BY v.ref) s
            JOIN unnest($2::text[], $3::text[]) AS t(ref, want) ON t.ref = s.ref
            WHERE array_to_string(s.got, ',') <> t.want`,
          [
            b.id,
            voters.map((_, i) => `R-${String(i).padStart(5, '0')}`),
            voters.map((_, i) => ballotOf(b, i).projectIds.join(',')),
          ],
        ),
      ]);
      const byProject = new Map(points.rows.map((r) => [r.project_id, r.points]));
      return {
        ...counts.rows[0]!,
        points: b.projects.map((p) => byProject.get(p) ?? 0),
        mismatched: wrong.rows[0]!.n,
      };
    };

    /** Whether a tally is the recount: ballots, every project's points and score. */
    const sameAs = (tally: Tally | undefined, points: number[], ballots: number, b: Budget) => {
      const h = tally?.headings[0];
      if (!h || h.ballots.online + h.ballots.onsite + h.ballots.paper !== ballots) return false;
      return b.projects.every((id, k) => {
        const p = h.projects.find((x) => x.projectId === id);
        return (
          p !== undefined &&
          p.points.all === points[k] &&
          Math.abs(p.score - (100 * points[k]!) / ballots) < 1e-4
        );
      });
    };

    for (let round = 0; round < ROUNDS; round++) {
      for (const step of STEPS) {
        const b = await makeBudget(`${round + 1}-${step}`);
        // The assembly's screen: one anonymous socket watching the budget.
        const tallies: { at: number; ballots: number; tally: Tally }[] = [];
        const watcher = new RawLiveSocket({
          url: server.url,
          onEvent: (event: string, payload: Payload, at: number) => {
            if (event !== 'budget:tally') return;
            const tally = payload as unknown as Tally;
            const h = tally.headings[0];
            tallies.push({ at, ballots: h ? h.ballots.online + h.ballots.onsite : 0, tally });
          },
        });
        if (step !== 'raw pg') {
          await watcher.connect();
          const ack = (await watcher.emit('budget:watch', { budgetId: b.id })) as { ok: boolean };
          if (!ack.ok) throw new Error(`budget:watch refused: ${JSON.stringify(ack)}`);
        }
        await load.ask({ type: 'reset' });
        const cpu0 = cpuSeconds(server.pid);
        const t0 = nowMs();
        const requests = order.map((i) => ({
          method: 'PUT',
          path: `/api/v1/budgets/${b.id}/ballot`,
          token: voters[i]!.token,
          body: ballotOf(b, i),
        }));
        if (step === 'rush') {
          await load.ask({
            type: 'http',
            base: server.url,
            requests,
            concurrency: CONNECTIONS,
            durationMs: 600_000,
            rate: RATE,
            limit: requests.length,
          });
        } else if (step === 'saturation') {
          await load.ask({
            type: 'http',
            base: server.url,
            requests,
            concurrency: CONCURRENCY,
            durationMs: 600_000,
            limit: requests.length,
          });
        } else {
          await rawWrites(rig, {
            poolSize: POOL,
            concurrency: CONCURRENCY,
            sql: `WITH b AS (
                    INSERT INTO budget_ballots (budget_id, voter_key, user_id, voter_id, class_key, channel)
                    VALUES ($1, $2, $3, $4, 'all', 'online') RETURNING id)
                  INSERT INTO budget_ballot_choices (ballot_id, budget_id, heading_id, project_id, rank)
                  SELECT b.id, $1, $5, t.p, t.r FROM b, unnest($6::uuid[]) WITH ORDINALITY AS t(p, r)`,
            params: order.map((i) => [
              b.id,
              `voter:${b.lines[i]!}`,
              voters[i]!.id,
              b.lines[i]!,
              b.headingId,
              ballotOf(b, i).projectIds,
            ]),
          });
        }
        const tEnd = nowMs();
        const seconds = (tEnd - t0) / 1000;
        const serverCpu = cpuSeconds(server.pid) - cpu0;
        const rssMiB = rssBytes(server.pid) / 2 ** 20;
        const stats = await collect([load]);
        const errors = Object.fromEntries(
          Object.entries(stats.httpStatus).filter(([k]) => k !== '200'),
        );
        const counted = await recount(b);
        const rowsExact =
          counted.rows === VOTERS &&
          counted.keys === VOTERS &&
          counted.users === VOTERS &&
          counted.lines === VOTERS &&
          counted.choices === VOTERS * CHOICES &&
          counted.mismatched === 0 &&
          counted.points.every((p, k) => p === expected.points[k]);
        let tallyExact = true;
        let finalExact = true;
        let lastTallyMs = NaN;
        let watcherExact = true;
        if (step !== 'raw pg') {
          const live = await api<Tally>(server.url, 'GET', `/budgets/${b.id}/results`, undefined);
          tallyExact = sameAs(live, counted.points, counted.rows, b);
          // The last ballot is always in a tally: wait for the watcher's tally of every ballot.
          const deadline = nowMs() + 5000;
          while (tallies.at(-1)?.ballots !== VOTERS && nowMs() < deadline) await sleep(20);
          const last = tallies.at(-1);
          lastTallyMs = last && last.ballots === VOTERS ? last.at - tEnd : NaN;
          watcherExact = sameAs(last?.tally, counted.points, counted.rows, b);
          // 16:00: the facilitator closes the vote; the result is drawn from the same rows.
          await api(server.url, 'POST', `/budgets/${b.id}/phase`, admins[0]!.token, {
            to: 'results',
          });
          const final = await api<Tally & { final: boolean }>(
            server.url,
            'GET',
            `/budgets/${b.id}/results`,
            undefined,
          );
          finalExact = final.final && sameAs(final, counted.points, counted.rows, b);
        }
        watcher.close();
        // Tally updates the watcher saw while ballots were coming in (and the one just after).
        const during = tallies.filter((t) => t.at >= t0);
        const perSecond = new Map<number, number>();
        for (const t of during)
          perSecond.set(Math.floor(t.at / 1000), (perSecond.get(Math.floor(t.at / 1000)) ?? 0) + 1);
        const gaps = during.slice(1).map((t, i) => t.at - during[i]!.at);
        const exact =
          rowsExact &&
          tallyExact &&
          watcherExact &&
          finalExact &&
          (step === 'raw pg' || Object.keys(errors).length === 0);
        const r = {
          step,
          round: round + 1,
          ballots: VOTERS,
          seconds,
          perSecond: VOTERS / seconds,
          latency: summary(stats.latency),
          serverCpu,
          cpuUtilisation: serverCpu / seconds,
          rssMiB,
          rows: counted.rows,
          distinctVoters: counted.keys,
          choices: counted.choices,
          mismatched: counted.mismatched,
          tallies: during.length,
          talliesPerSecondMax: Math.max(0, ...perSecond.values()),
          talliesPerSecondMean: during.length / seconds,
          minTallyGapMs: gaps.length ? Math.min(...gaps) : NaN,
          lastTallyMs,
          rowsExact,
          tallyExact,
          watcherExact,
          finalExact,
          errors,
          exact,
        };
        rounds.push(r);
        log(
          `B9 ${step} round ${round + 1}: ${VOTERS} ballots in ${seconds.toFixed(2)} s = ${r.perSecond.toFixed(0)}/s, ` +
            `p50 ${r.latency.p50.toFixed(1)} p99 ${r.latency.p99.toFixed(1)} max ${r.latency.max.toFixed(1)} ms; ` +
            `server CPU ${serverCpu.toFixed(2)} s, RSS ${rssMiB.toFixed(0)} MiB; rows ${counted.rows}/${counted.keys} distinct, ` +
            `mismatched ${counted.mismatched}; tallies ${during.length} (max ${r.talliesPerSecondMax}/s, min gap ${r.minTallyGapMs.toFixed(0)} ms, ` +
            `last ${lastTallyMs.toFixed(0)} ms after the last answer); exact rows ${rowsExact} tally ${tallyExact} watcher ${watcherExact} final ${finalExact}; errors ${JSON.stringify(errors)}`,
        );
      }
    }
  } finally {
    await rig.stop();
  }

  type R = {
    step: Step;
    perSecond: number;
    latency: { p50: number; p99: number; max: number };
    serverCpu: number;
    cpuUtilisation: number;
    rssMiB: number;
    talliesPerSecondMax: number;
    talliesPerSecondMean: number;
    minTallyGapMs: number;
    lastTallyMs: number;
    exact: boolean;
  };
  const list = rounds as unknown as R[];
  const of = (step: Step) => list.filter((r) => r.step === step);
  const raw = median(of('raw pg').map((r) => r.perSecond));
  const rawExact = of('raw pg').every((r) => r.exact);
  const rowOf = (step: 'rush' | 'saturation'): Row => {
    const mine = of(step);
    const value = median(mine.map((r) => r.perSecond));
    const p99 = median(mine.map((r) => r.latency.p99));
    const talliesMax = Math.max(...mine.map((r) => r.talliesPerSecondMax));
    const exact = mine.every((r) => r.exact) && rawExact;
    const how =
      step === 'rush'
        ? `open loop at ${RATE}/s over ${CONNECTIONS} connections`
        : `closed loop, ${CONCURRENCY} in flight`;
    return {
      id: 'B9',
      case: `${VOTERS.toLocaleString('en-US')} roll voters cast a ranked ballot before the close, ${how}, 1 watcher`,
      sockets: 1,
      rate: step === 'rush' ? `${RATE}/s` : 'closed loop',
      p50: median(mine.map((r) => r.latency.p50)),
      p99,
      max: median(mine.map((r) => r.latency.max)),
      perCpuSecond: median(mine.map((r) => VOTERS / r.serverCpu)),
      rssMiB: median(mine.map((r) => r.rssMiB)),
      metric: 'ballots/s',
      value,
      baseline: raw,
      ratio: value / raw,
      target: 'exact; ≥ 1,000 ballots/s; p99 ≤ 500 ms; tally ≤ 2 updates/s',
      met: exact && value >= 1000 && p99 <= 500 && talliesMax <= 2,
      correctness: exact
        ? `every run: ${VOTERS} ballot rows = voters, none twice, each as sent; live tally = final result = recount of the rows; raw pg rows exact`
        : `FAILED: ${JSON.stringify(list.map((r) => r as unknown as Record<string, unknown>).map(({ step: s, rowsExact, tallyExact, watcherExact, finalExact, errors }) => ({ s, rowsExact, tallyExact, watcherExact, finalExact, errors })))}`,
      notes:
        `baseline = raw pg insert of the same rows (ballot + 3 choices, one statement), pool ${POOL}, ${CONCURRENCY} callers; ` +
        `tally updates seen by the watcher: max ${talliesMax} in any second, mean ${median(mine.map((r) => r.talliesPerSecondMean)).toFixed(2)}/s, ` +
        `closest two ${Math.min(...mine.map((r) => r.minTallyGapMs)).toFixed(0)} ms apart; the tally of every ballot reached it ` +
        `${median(mine.map((r) => r.lastTallyMs)).toFixed(0)} ms after the last answer; server CPU ${(100 * median(mine.map((r) => r.cpuUtilisation))).toFixed(0)}% of a core; ` +
        `shipped limits, no limit raised: one user per voter, one ballot each per step`,
    };
  };
  save({
    id: 'B9',
    title: 'ballot rush before a 마을총회 close',
    machine: machine(),
    settings: {
      voters: VOTERS,
      rate: RATE,
      connections: CONNECTIONS,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      projects: PROJECTS,
      rule: `ranked, ${CHOICES} choices`,
      electorate: 'roll, every code claimed',
      pool: POOL,
      // An earlier build, for before/after figures in the same minutes (see startSubject).
      server: process.env.BENCH_SERVER ?? 'dist/main.js',
    },
    rows: [rowOf('rush'), rowOf('saturation')],
    rounds,
    findings: [],
  });
}

runMain(main);
