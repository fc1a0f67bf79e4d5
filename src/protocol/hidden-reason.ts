/**
 * The reasons the system writes when it hides a comment, stored as codes (in
 * `comments.hidden_reason`, the audit rows, the topic and room events and the notifications'
 * `reason`) so that every page says them in its reader's language. A facilitator's own reason is
 * free text and stays as written. Rows written before the codes hold English sentences; they
 * are read as the same codes. Nothing here imports anything: the browser bundle takes it too.
 */

/** The report reasons (as `reports.reason` stores them), for the reviewed-hide codes. */
export const HIDE_REPORT_REASONS = ['spam', 'abuse', 'off_topic', 'other'] as const;
export type HideReportReason = (typeof HIDE_REPORT_REASONS)[number];

/** Hidden by the report threshold, until a facilitator reviews the reports. */
export const REPORTS_PENDING = 'code:reports_pending';

/** A hide a facilitator confirmed from the report queue, for the reports' leading reason. */
export const reviewedHideReason = (reason: HideReportReason): string => `code:reviewed_${reason}`;

/** What the stored reason says: one of the codes, or a person's words. */
export type HiddenReason =
  { code: 'reports_pending' } | { code: 'reviewed'; report: HideReportReason } | { text: string };

/** The English the server stored before the codes (kept readable, never written again). */
const LEGACY_PENDING = 'reported: pending review';
const LEGACY_REVIEWED = /^hidden after review: (spam|abuse|off topic|other)$/;

export function readHiddenReason(stored: string): HiddenReason {
  if (stored === REPORTS_PENDING || stored === LEGACY_PENDING) return { code: 'reports_pending' };
  for (const report of HIDE_REPORT_REASONS)
    if (stored === reviewedHideReason(report)) return { code: 'reviewed', report };
  const legacy = LEGACY_REVIEWED.exec(stored);
  if (legacy) return { code: 'reviewed', report: legacy[1]!.replace(' ', '_') as HideReportReason };
  return { text: stored };
}

/**
 * Hidden by the threshold rather than by a person (so dismissing the reports brings it back).
 * Compared exactly: a facilitator's free text that merely begins like a code is still a
 * person's decision.
 */
export const isReportsPending = (stored: string | null | undefined): boolean => {
  if (!stored) return false;
  const read = readHiddenReason(stored);
  return 'code' in read && read.code === 'reports_pending';
};
