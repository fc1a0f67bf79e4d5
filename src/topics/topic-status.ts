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
