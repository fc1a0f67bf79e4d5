import WebSocket from 'ws';

/**
 * A Socket.IO client written by hand on a bare WebSocket, for packets the real client cannot
 * send: payloads too deep for its own encoder, malformed frames, oversized and binary data.
 * It speaks just enough of the protocol (engine.io v4, socket.io v5) for the live namespace.
 */
export class RawLiveSocket {
  private readonly frames: string[] = [];
  private readonly waiters: ((frame: string) => void)[] = [];
  private nextAck = 1;
  closed = false;
  readonly done: Promise<void>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = Buffer.isBuffer(data)
        ? data.toString()
        : Buffer.from(data as ArrayBuffer).toString();
      // engine.io ping → pong, as every client must, or the server closes us.
      if (frame === '2') {
        ws.send('3');
        return;
      }
      const waiter = this.waiters.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    });
    this.done = new Promise((resolve) =>
      ws.once('close', () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  /** Opens the WebSocket and enters `/live` (with a token, or anonymous). */
  static async open(url: string, token?: string): Promise<RawLiveSocket> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      headers: { origin: url },
    });
    // Listening from the start: the server's first frame can arrive with the upgrade answer.
    const socket = new RawLiveSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const open = await socket.frame();
    if (!open.startsWith('0')) throw new Error(`unexpected engine.io open: ${open}`);
    ws.send(`40/live,${JSON.stringify(token ? { token } : {})}`);
    const entered = await socket.frame();
    if (!entered.startsWith('40/live,')) throw new Error(`namespace refused: ${entered}`);
    return socket;
  }

  /** The next text frame from the server (pings answered on the way). */
  frame(timeoutMs = 5000): Promise<string> {
    const queued = this.frames.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no frame in time')), timeoutMs);
      this.waiters.push((frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
    });
  }

  /** Sends an event whose JSON text is given as is; resolves with the ack's payload. */
  async emitRaw(event: string, payloadJson: string, timeoutMs = 5000): Promise<unknown> {
    const id = this.nextAck++;
    this.ws.send(`42/live,${id}[${JSON.stringify(event)},${payloadJson}]`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = await this.frame(Math.max(1, deadline - Date.now()));
      const prefix = `43/live,${id}`;
      if (frame.startsWith(prefix)) return (JSON.parse(frame.slice(prefix.length)) as unknown[])[0];
    }
  }

  /** Sends a frame exactly as given (text or binary). */
  send(data: string | Buffer): void {
    this.ws.send(data);
  }

  close(): void {
    this.ws.close();
  }
}
