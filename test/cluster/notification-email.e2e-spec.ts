import request from 'supertest';
import { eventually } from '../utils/eventually';
import { sleep } from '../utils/live-client';
import { TestSmtp } from '../utils/smtp';
import {
  bulkUsers,
  type Cluster,
  type ClusterNode,
  reportingNodes,
  startCluster,
  startNodes,
  stopCluster,
  stopNodes,
} from './helpers';

const FOLLOWERS = 60;
/**
 * Long enough for the next node to start and send the unclaimed half while the claimed half's
 * lease still runs: a node starts in a few seconds, more on a loaded machine (at 5 s, a slow
 * start let both halves go together before the first look).
 */
const LEASE_SECONDS = 15;

/**
 * Notification email on more than one server process, over real SMTP: two nodes sending from
 * one outbox send each email once; a node killed (kill -9) after committing its outbox rows but
 * before sending them, and one killed holding claimed rows, leave them to another node, which
 * sends each once (the claimed ones once their lease has run out).
 */
describe('cluster: notification email sent once', () => {
  const smtp = new TestSmtp();
  let cluster: Cluster;
  let extra: ClusterNode[] = [];
  let followers: { id: string; email: string }[];

  const mailSettings = (): Record<string, string> => ({
    SMTP_URL: smtp.url,
    MAIL_FROM: '마당 <no-reply@cluster.test>',
    EMAIL_SWEEP_SECONDS: '1',
    EMAIL_LEASE_SECONDS: String(LEASE_SECONDS),
    DIGEST_SWEEP_SECONDS: '0',
  });

  /** A topic on `node` that every follower follows, rejected on `by`: one email each. */
  const rejected = async (node: ClusterNode, by: ClusterNode, title: string): Promise<string> => {
    const res = await request(node.url)
      .post(`/api/v1/spaces/${cluster.spaceId}/topics`)
      .set(cluster.citizen.auth)
      .send({ title, body: '본문' })
      .expect(201);
    const id = (res.body as { id: string }).id;
    await cluster.db.query(
      `INSERT INTO follows (user_id, target_type, target_id) SELECT unnest($1::uuid[]), 'topic', $2::uuid`,
      [followers.map((f) => f.id), id],
    );
    await request(by.url)
      .post(`/api/v1/topics/${id}/transitions`)
      .set(cluster.facilitator.auth)
      .send({ to: 'rejected', reason: '중복 제안' })
      .expect(200);
    return id;
  };

  const outboxOf = async (
    topicId: string,
  ): Promise<{ queued: number; sent: number; unsent: number }> =>
    (
      await cluster.db.query(
        `SELECT count(*)::int AS queued, count(o.sent_at)::int AS sent,
                count(*) FILTER (WHERE o.sent_at IS NULL AND o.failed_at IS NULL)::int AS unsent
           FROM email_outbox o JOIN notifications n ON n.id = o.notification_id WHERE n.topic_id = $1`,
        [topicId],
      )
    )[0];

  /** The emails each follower received whose subject names `title`. */
  const receivedPer = (title: string): number[] =>
    followers.map(
      (f) => smtp.to(f.email).filter((m) => m.headers.get('subject')!.includes(title)).length,
    );

  beforeAll(async () => {
    await smtp.start();
    cluster = await startCluster(mailSettings());
    const users = await bulkUsers(cluster.db, FOLLOWERS, 'mailed');
    followers = await cluster.db.query(
      `SELECT id, email FROM users WHERE id = ANY($1::uuid[]) ORDER BY email`,
      [users.map((u) => u.id)],
    );
    await cluster.db.query(
      `INSERT INTO notification_settings (user_id, email) SELECT unnest($1::uuid[]), 'immediate'`,
      [followers.map((f) => f.id)],
    );
  }, 60_000);

  afterAll(async () => {
    await stopNodes(extra);
    await stopCluster(cluster);
    await smtp.stop();
  });

  it('two nodes sending from one outbox send each email once', async () => {
    const { a, b } = cluster;
    await reportingNodes(cluster.nodes, async () => {
      const titles = ['두 노드 메일 하나', '두 노드 메일 둘', '두 노드 메일 셋'];
      const topics = await Promise.all(
        titles.map((title, i) => rejected(i % 2 ? b : a, i % 2 ? a : b, title)),
      );
      for (const id of topics)
        await eventually(
          () => outboxOf(id),
          (o) => o.queued === FOLLOWERS && o.sent === FOLLOWERS,
          30_000,
        );
      await sleep(1500);
      for (const title of titles) expect(receivedPer(title)).toEqual(followers.map(() => 1));
    });
  }, 90_000);

  it('a node killed after committing its emails, and one killed holding claimed ones, leave them to another node, sent once', async () => {
    const { redis } = cluster;
    await stopNodes(cluster.nodes);
    cluster.nodes = [];
    // Its sender off: it writes the notifications and queues their emails, and sends nothing,
    // as a node killed between that commit and the send.
    const [silent] = await startNodes(1, redis.url, {
      ...mailSettings(),
      EMAIL_SWEEP_SECONDS: '0',
    });
    extra = [silent!];
    const title = '죽은 노드가 남긴 메일';
    const topicId = await rejected(silent!, silent!, title);
    await eventually(
      () => outboxOf(topicId),
      (o) => o.queued === FOLLOWERS,
      20_000,
    );
    silent!.process.child.kill('SIGKILL');
    await silent!.process.waitForExit(10_000);
    expect(await outboxOf(topicId)).toEqual({ queued: FOLLOWERS, sent: 0, unsent: FOLLOWERS });
    expect(receivedPer(title)).toEqual(followers.map(() => 0));
    // Half the rows as a node killed mid-send leaves them: claimed, their lease running.
    const claimed: { id: string }[] = await cluster.db.query(
      `UPDATE email_outbox SET claimed_at = now(), attempts = 1
        WHERE id IN (SELECT o.id FROM email_outbox o JOIN notifications n ON n.id = o.notification_id
                      WHERE n.topic_id = $1 ORDER BY o.id LIMIT $2)
        RETURNING id`,
      [topicId, FOLLOWERS / 2],
    );
    const claimedAt = Date.now();

    const [next] = await startNodes(1, redis.url, mailSettings());
    extra = [next!];
    await reportingNodes([next!], async () => {
      // The unclaimed half goes at once; the claimed half only after its lease.
      await eventually(
        () => outboxOf(topicId),
        (o) => o.sent === FOLLOWERS / 2,
        20_000,
      );
      await eventually(
        () => outboxOf(topicId),
        (o) => o.sent === FOLLOWERS,
        LEASE_SECONDS * 1000 + 30_000,
      );
      const late: { sent_at: Date; attempts: number }[] = await cluster.db.query(
        `SELECT sent_at, attempts FROM email_outbox WHERE id = ANY($1::uuid[])`,
        [claimed.map((c) => c.id)],
      );
      for (const row of late) {
        expect(row.sent_at.getTime() - claimedAt).toBeGreaterThanOrEqual(
          LEASE_SECONDS * 1000 - 500,
        );
        expect(row.attempts).toBe(2);
      }
      await sleep(1500);
      expect(receivedPer(title)).toEqual(followers.map(() => 1));
    });
  }, 120_000);
});
