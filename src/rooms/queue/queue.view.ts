export interface QueueState {
  /** Who has the floor, and until when; null when nobody does. */
  speaker: { userId: string; displayName: string; until: string } | null;
  /** Raised hands in the order they will be called (first-time speakers first). */
  waiting: { userId: string; displayName: string; raisedAt: string; firstTime: boolean }[];
}

/** The `queue:update` event and the queue acks: the state, with `until` repeated on top. */
export interface QueueUpdate extends QueueState {
  /** When the current speaker's time ends (null when nobody has the floor). */
  until: string | null;
}

export const toQueueUpdate = (state: QueueState): QueueUpdate => ({
  speaker: state.speaker,
  until: state.speaker?.until ?? null,
  waiting: state.waiting,
});
