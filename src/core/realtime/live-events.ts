/**
 * The server→client side of the live protocol. The maps live in the dependency-free
 * src/protocol/live.ts, which the web client imports too; this re-export keeps core's imports
 * inside core.
 */
export type {
  LiveEventName,
  LiveServerEvents,
  RoomEventPayload,
  RoomEvents,
  RoomEventType,
} from '../../protocol/live';
