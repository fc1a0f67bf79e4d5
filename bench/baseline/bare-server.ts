/**
 * The baseline of B1, B2 and B3: a bare Socket.IO server doing the same broadcast as the product,
 * with no framework, database, authentication or validation. Same namespace, same events,
 * same payload shape and size, so a ratio against it is the cost of everything Madang adds.
 *
 *   PORT=4000 node -r ts-node/register/transpile-only bench/baseline/bare-server.ts
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Server, type Socket } from 'socket.io';

const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const seqs = new Map<string, number>();
/** Where every room's numbering resumes after a restart (B3's baseline): it keeps nothing. */
const FIRST_SEQ = Number(process.env.BARE_SEQ ?? 0);

const http = createServer((req, res) => {
  if (req.url === '/lag') {
    // p99 of the event-loop delay since the last read, in seconds (as prom-client reports it).
    const body = JSON.stringify({ p99: lag.percentile(99) / 1e9, max: lag.max / 1e9 });
    lag.reset();
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return;
  }
  res.writeHead(200).end('ok');
});
const io = new Server(http, { serveClient: false, transports: ['websocket', 'polling'] });
const live = io.of('/live');

type Ack = (answer: unknown) => void;

live.on('connection', (socket: Socket) => {
  socket.on('room:join', (payload: { roomId: string }, ack: Ack) => {
    void socket.join(`room:${payload.roomId}`);
    ack({
      ok: true,
      data: { seq: seqs.get(payload.roomId) ?? FIRST_SEQ, missed: [], reset: false },
    });
  });
  socket.on('chat:send', (payload: { roomId: string; body: string }, ack: Ack) => {
    const seq = (seqs.get(payload.roomId) ?? FIRST_SEQ) + 1;
    seqs.set(payload.roomId, seq);
    const comment = {
      id: randomUUID(),
      topicId: randomUUID(),
      parentId: null,
      depth: 0,
      author: { id: randomUUID(), displayName: '벤치 1' },
      body: payload.body,
      stance: null,
      status: 'visible',
      agreeCount: 0,
      replyCount: 0,
      roomId: payload.roomId,
      createdAt: new Date().toISOString(),
      editedAt: null,
    };
    live.to(`room:${payload.roomId}`).emit('comment:new', { comment, roomId: payload.roomId, seq });
    ack({ ok: true, data: { comment } });
  });
});

http.listen(Number(process.env.PORT ?? 4000), '127.0.0.1');
