import { type QueueState, type QueueUpdate } from '../../protocol/views';

export type { QueueState, QueueUpdate };

export const toQueueUpdate = (state: QueueState): QueueUpdate => ({
  speaker: state.speaker,
  until: state.speaker?.until ?? null,
  waiting: state.waiting,
});
