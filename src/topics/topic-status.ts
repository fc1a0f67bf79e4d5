/**
 * The statuses of a topic. Kept free of imports so the browser client can use the list itself
 * (the status filter) without pulling server code into its bundle.
 */
export const TOPIC_STATUSES = [
  'proposed',
  'under_review',
  'deliberating',
  'closed',
  'answered',
  'rejected',
  'expired',
] as const;
export type TopicStatus = (typeof TOPIC_STATUSES)[number];

/**
 * Moves a facilitator may make by hand, from each status: the server refuses every other
 * (topic-lifecycle.ts), and the topic page offers only these. The ladder and the scheduler
 * make the others (proposed → under_review → deliberating by agrees; deliberating → closed at
 * closesAt; proposed → expired after the window; → answered by an official response).
 */
export const MANUAL_TRANSITIONS: Readonly<Record<TopicStatus, readonly TopicStatus[]>> = {
  proposed: ['deliberating', 'rejected'],
  under_review: ['deliberating', 'rejected'],
  deliberating: ['closed', 'rejected'],
  closed: [],
  answered: [],
  rejected: [],
  expired: [],
};

/** Statuses an official response may answer. */
export const ANSWERABLE: readonly TopicStatus[] = ['under_review', 'closed'];
