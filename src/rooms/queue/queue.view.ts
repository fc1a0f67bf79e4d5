export interface QueueState {
  /** Who has the floor, and until when; null when nobody does. */
  speaker: { userId: string; displayName: string; until: string } | null;
  /** Raised hands in the order they will be called (first-time speakers first). */
  waiting: { userId: string; displayName: string; raisedAt: string; firstTime: boolean }[];
}
