import { io, type Socket } from 'socket.io-client';

export interface LiveOptions {
  token?: string;
  /** The Origin header to send; by default the server's own origin, as its pages would. */
  origin?: string | null;
  transports?: ('websocket' | 'polling')[];
  /** `auth.embed`: the origin of the page embedding a widget (any value, to test refusals). */
  embed?: unknown;
  /** `auth.lang`: the language acks are written in (Korean by default). */
  lang?: string;
}

export type Ack<T = unknown> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; retryAfter?: number } };

const open: Socket[] = [];

/** A socket.io client for the live namespace, not yet connected. */
export function liveClient(url: string, options: LiveOptions = {}): Socket {
  const origin = options.origin === undefined ? url : options.origin;
  const socket = io(`${url}/live`, {
    autoConnect: false,
    reconnection: false,
    forceNew: true,
    transports: options.transports ?? ['websocket'],
    auth: {
      ...(options.token ? { token: options.token } : {}),
      ...(options.embed !== undefined ? { embed: options.embed } : {}),
      ...(options.lang !== undefined ? { lang: options.lang } : {}),
    },
    extraHeaders: origin === null ? {} : { origin },
  });
  open.push(socket);
  return socket;
}

/** Connects; resolves when connected, rejects with the connect_error. */
export function connect(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
    socket.connect();
  });
}

export async function connected(url: string, options: LiveOptions = {}): Promise<Socket> {
  return connect(liveClient(url, options));
}

/** Emits and waits for the acknowledgement envelope. */
export function request<T = unknown>(
  socket: Socket,
  event: string,
  payload: unknown,
): Promise<Ack<T>> {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/** Resolves with the next `event` whose payload satisfies `match`. */
export function nextEvent<T = Record<string, unknown>>(
  socket: Socket,
  event: string,
  match: (payload: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T): void => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/** Records every event a socket receives, in order. */
export function record(socket: Socket): { event: string; payload: Record<string, unknown> }[] {
  const seen: { event: string; payload: Record<string, unknown> }[] = [];
  socket.onAny((event: string, payload: Record<string, unknown>) => seen.push({ event, payload }));
  return seen;
}

export function closeAll(): void {
  while (open.length) open.pop()?.disconnect();
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The data of an accepted ack; a refusal fails the test with its code. */
export function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`refused: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/** Emits, expects acceptance, and returns the ack's data. */
export async function ok<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const ack = await request<T>(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} refused: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/** A refusal with this code (and a message). */
export function expectRefused(ack: Ack, code: string): void {
  expect(ack).toMatchObject({ ok: false, error: { code, message: expect.any(String) } });
}
