import { type Socket } from 'socket.io';

/**
 * The client's address as the handshake saw it, read like Express's `trust proxy` with a hop
 * count: the address `hops` entries from the right of X-Forwarded-For followed by the peer's
 * own address. With no trusted proxy, the peer's address.
 */
export function clientAddress(socket: Pick<Socket, 'handshake'>, hops: number): string {
  const peer = socket.handshake.address;
  if (hops === 0) return peer;
  const header = socket.handshake.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - hops)] ?? peer;
}
