import { type Ack, type LiveClientEvent, type LiveClientEvents } from '../../protocol/live';
import { type Socket } from 'socket.io';
import { type AuthUser } from '../auth/auth-user';

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
  budget: (budgetId: string): string => `budget:${budgetId}`,
} as const;

/** The acknowledgement envelope (src/protocol/live.ts). */
export type { Ack } from '../../protocol/live';

/** What the acknowledgement of client event `E` answers. */
export type LiveAck<E extends LiveClientEvent> = Ack<LiveClientEvents[E]['ack']>;

export const LIVE_NAMESPACE = '/live';
