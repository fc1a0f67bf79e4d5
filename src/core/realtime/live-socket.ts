import { type Socket } from 'socket.io';
import { type AuthUser } from '../../identity/auth/auth-user';

/** What the handshake established about a connection. */
export interface LiveSocketData {
  /** Absent for an anonymous, read-only viewer. */
  user?: AuthUser;
  /** For an embedded widget, the origin of the page that frames it (checked per topic/room). */
  embedOrigin?: string;
}

export type LiveSocket = Socket<
  Record<string, never>,
  Record<string, never>,
  Record<string, never>,
  LiveSocketData
>;

/** Room names, built in one place so producers and consumers cannot drift apart. */
export const Rooms = {
  user: (userId: string): string => `user:${userId}`,
  topic: (topicId: string): string => `topic:${topicId}`,
  room: (roomId: string): string => `room:${roomId}`,
  roomModerators: (roomId: string): string => `room:${roomId}:mod`,
} as const;

/**
 * The answer every client→server event gets through its acknowledgement callback; refusals for
 * rate (`rate_limited`) and overload (`service_unavailable`) say when to retry, in seconds.
 */
export type Ack<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; retryAfter?: number } };

export const LIVE_NAMESPACE = '/live';
