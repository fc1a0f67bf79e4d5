import { readFileSync } from 'node:fs';
import request from 'supertest';
import { type Socket } from 'socket.io-client';
import { closeAll, connected, request as ask, sleep } from '../utils/live-client';
import {
  bulkUsers,
  type ClusterNode,
  reportingNodes,
  startNodes,
  stopNodes,
} from '../cluster/helpers';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/core/database/data-source';
import { AdminAccounts } from '../../src/identity/users/admin-accounts';
import { PasswordHasher } from '../../src/identity/auth/password-hasher';

const CAP = 1024 * 1024; // SOCKET_MAX_BUFFERED_BYTES, the shipped default

/** A metric's value from the node's /metrics text. */
async function metric(node: ClusterNode, name: string): Promise<number> {
  const text = (await request(node.url).get('/metrics').expect(200)).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

const rssMiB = (pid: number): number => {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
};

/** Stops reading the socket's connection, as a frozen tab or a dead phone does. */
function freeze(socket: Socket): void {
  const transport = (
    socket.io.engine as unknown as { transport: { ws?: { _socket?: { pause(): void } } } }
  ).transport;
  const raw = transport.ws?._socket;
  if (!raw) throw new Error('not a WebSocket transport');
  raw.pause();
}

/**
 * L3: in a busy room, clients that stop reading. Socket.IO buffers without bound, so every
 * broadcast stayed in memory for each of them until the heartbeat gave up (about 45 s later).
 * With the per-socket cap the node closes them once 1 MiB waits, its memory stays bounded,
 * everyone else keeps receiving everything, and a closed client catches up by `seq`.
 */
describe('load: frozen consumers in a busy room (L3)', () => {
  let nodes: ClusterNode[];
  let db: DataSource;
  beforeAll(async () => {
    nodes = await startNodes(1, '');
    db = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2));
    await db.initialize();
  }, 60_000);
  afterAll(async () => {
    closeAll();
    await stopNodes(nodes);
    await db.destroy();
  });

  it('frozen sockets are closed at the cap; the others get every message; memory stays bounded', async () => {
    const [node] = nodes as [ClusterNode];
    await reportingNodes(nodes, async () => {
      const email = `l3-admin-${Date.now()}@cluster.test`;
      await new AdminAccounts(
        db,
        new PasswordHasher({ ARGON2_MEMORY_KIB: 1024, ARGON2_PASSES: 1 }),
      ).ensureAdmin(email, 'l3 admin password');
      const login = await request(node.url)
        .post('/api/v1/auth/login')
        .send({ email, password: 'l3 admin password' })
        .expect(200);
      const admin = {
        Authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}`,
      };
      const adminId = (login.body as { user: { id: string } }).user.id;
      const space = await request(node.url)
        .post('/api/v1/spaces')
        .set(admin)
        .send({ slug: `l3-${Date.now()}`, name: '느린 소비자' })
        .expect(201);
      const spaceId = (space.body as { id: string }).id;
      await request(node.url)
        .put(`/api/v1/spaces/${spaceId}/facilitators/${adminId}`)
        .set(admin)
        .expect(200);
      const topic = await request(node.url)
        .post(`/api/v1/spaces/${spaceId}/topics`)
        .set(admin)
        .send({ title: '바쁜 방의 주제', body: '본문' })
        .expect(201);
      const room = await request(node.url)
        .post(`/api/v1/topics/${(topic.body as { id: string }).id}/rooms`)
        .set(admin)
        .send({ title: '바쁜 방' })
        .expect(201);
      const roomId = (room.body as { id: string }).id;
      await request(node.url).post(`/api/v1/rooms/${roomId}/start`).set(admin).expect(200);

      const people = await bulkUsers(db, 45, 'l3');
      const talkers = await Promise.all(
        people.slice(0, 20).map((u) => connected(node.url, { token: u.token })),
      );
      const readers = await Promise.all(
        people.slice(20, 25).map((u) => connected(node.url, { token: u.token })),
      );
      const frozen = await Promise.all(
        people.slice(25).map((u) => connected(node.url, { token: u.token })),
      );
      let joinSeq = 0;
      for (const s of [...talkers, ...readers, ...frozen]) {
        const joined = await ask<{ seq: number }>(s, 'room:join', { roomId });
        if (!joined.ok) throw new Error(`join refused: ${joined.error.code}`);
        joinSeq = Math.max(joinSeq, joined.data.seq);
      }
      const received = readers.map(() => 0);
      readers.forEach((s, i) => s.on('comment:new', () => received[i]!++));
      for (const s of frozen) freeze(s);
      const baseline = rssMiB(node.process.child.pid!);

      // 20 people talk as fast as the shipped socket limit lets them, 2,000 characters a message.
      const body = '마'.repeat(1990);
      let sent = 0;
      let talking = true;
      let peakBuffered = 0;
      let peakRss = baseline;
      const talk = async (s: Socket, who: number): Promise<void> => {
        for (let i = 0; talking; i++) {
          const ack = await ask(s, 'chat:send', { roomId, body: `${who}-${i} ${body}` });
          if (ack.ok) sent++;
          await sleep(110);
        }
      };
      const loops = talkers.map((s, i) => talk(s, i));
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        await sleep(500);
        peakBuffered = Math.max(
          peakBuffered,
          await metric(node, 'madang_socket_buffered_bytes_max'),
        );
        peakRss = Math.max(peakRss, rssMiB(node.process.child.pid!));
        if (
          (await metric(node, 'madang_socket_slow_consumers_closed_total')) >= frozen.length &&
          Date.now() > deadline - 12_000
        )
          break;
      }
      talking = false;
      await Promise.all(loops);
      await sleep(1000);

      const closed = await metric(node, 'madang_socket_slow_consumers_closed_total');
      console.log(
        `L3: ${sent} messages of ~6 KB (UTF-8) to ${readers.length + talkers.length} readers and ${frozen.length} frozen sockets; ${closed} frozen closed; largest backlog seen ${(peakBuffered / 1024).toFixed(0)} KiB (cap ${CAP / 1024} KiB); RSS ${baseline.toFixed(0)} → peak ${peakRss.toFixed(0)} MiB`,
      );
      expect(closed).toBe(frozen.length);
      // A backlog never grows much past the cap: the sweep runs every half second.
      expect(peakBuffered).toBeLessThan(CAP * 3);
      // Everyone who reads got every message.
      expect(received).toEqual(readers.map(() => sent));

      // A closed client comes back and catches up by seq (or is told to reload: too many missed).
      const back = await connected(node.url, { token: people[25]!.token });
      const caught = await ask<{
        seq: number;
        missed: { payload: { seq: number } }[];
        reset: boolean;
      }>(back, 'room:join', { roomId, sinceSeq: joinSeq });
      if (!caught.ok) throw new Error('rejoin refused');
      if (!caught.data.reset) {
        const seqs = caught.data.missed.map((m) => m.payload.seq);
        expect(seqs).toEqual(seqs.map((_, i) => joinSeq + 1 + i));
        expect(seqs.at(-1)).toBe(caught.data.seq);
      } else {
        expect(caught.data.seq).toBeGreaterThan(joinSeq + 500);
      }
    });
  }, 120_000);
});
