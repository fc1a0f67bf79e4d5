import WebSocket from 'ws';

/**
 * A minimal Socket.IO client for the load generators: the engine.io v4 / socket.io v5 text
 * protocol over a bare WebSocket, namespace `/live`, acknowledgements and heartbeats, nothing
 * else. The official client does the same work with more layers; with thousands of sockets
 * on one load-generating core those layers would be measured as latency. The wire traffic is
 * the same, so the server cannot tell the difference.
 */
const NAMESPACE = '/live';
const PREFIX = `${NAMESPACE},`;

export type Payload = Record<string, unknown>;

export interface LiveSocketOptions {
  url: string;
  token?: string;
  localAddress?: string;
  origin?: string;
  onEvent: (event: string, payload: Payload, at: number) => void;
  /** Called once the namespace is connected (after every reconnection too). */
  onConnect?: () => void;
  onClose?: () => void;
}

export class RawLiveSocket {
  private ws?: WebSocket;
  private nextAck = 1;
  private readonly acks = new Map<number, (value: unknown) => void>();
  connected = false;

  constructor(private readonly options: LiveSocketOptions) {}

  /** Resolves when the namespace answers; rejects on a refusal or a transport error. */
  connect(timeoutMs = 30_000): Promise<void> {
    const { url, localAddress, origin } = this.options;
    const wsUrl = `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, {
        ...(localAddress ? { localAddress } : {}),
        headers: { origin: origin ?? url },
        perMessageDeflate: false,
      });
      this.ws = ws;
      let settled = false;
      const timer = setTimeout(() => fail(new Error('connect timeout')), timeoutMs);
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.terminate();
        reject(error);
      };
      ws.on('error', (error) => fail(error));
      ws.on('close', () => {
        const was = this.connected;
        this.connected = false;
        for (const resolveAck of this.acks.values())
          resolveAck({ ok: false, error: { code: 'closed' } });
        this.acks.clear();
        if (!settled) fail(new Error('closed before connect'));
        else if (was) this.options.onClose?.();
      });
      ws.on('message', (raw: Buffer) => {
        const text = raw.toString('utf8');
        const at = performance.timeOrigin + performance.now();
        const kind = text[0];
        if (kind === '2') {
          ws.send('3');
          return;
        }
        if (kind === '0') {
          ws.send(
            `40${PREFIX}${JSON.stringify(this.options.token ? { token: this.options.token } : {})}`,
          );
          return;
        }
        if (kind !== '4') return;
        const type = text[1];
        let rest = text.slice(2);
        if (!rest.startsWith(PREFIX)) return;
        rest = rest.slice(PREFIX.length);
        if (type === '0') {
          this.connected = true;
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            resolve();
          }
          this.options.onConnect?.();
        } else if (type === '4') {
          fail(new Error(`refused: ${rest}`));
        } else if (type === '2') {
          const bracket = rest.indexOf('[');
          const [event, payload] = JSON.parse(rest.slice(bracket)) as [string, Payload];
          this.options.onEvent(event, payload, at);
        } else if (type === '3') {
          const bracket = rest.indexOf('[');
          const id = Number(rest.slice(0, bracket));
          const [value] = JSON.parse(rest.slice(bracket)) as [unknown];
          this.acks.get(id)?.(value);
          this.acks.delete(id);
        } else if (type === '1') {
          ws.close();
        }
      });
    });
  }

  /** Emits with an acknowledgement; resolves with the ack's value. */
  emit(event: string, payload: unknown): Promise<unknown> {
    const ws = this.ws;
    if (!ws || !this.connected) return Promise.resolve({ ok: false, error: { code: 'closed' } });
    const id = this.nextAck++;
    return new Promise((resolve) => {
      this.acks.set(id, resolve);
      ws.send(`42${PREFIX}${id}${JSON.stringify([event, payload])}`);
    });
  }

  close(): void {
    this.connected = false;
    this.ws?.terminate();
  }
}
