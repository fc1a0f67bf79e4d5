import { type QuestionView } from '../qa/question.view';

export interface MinutesPerson {
  id: string;
  displayName: string;
}

/** The record of an ended room (회의록), as JSON; the Markdown export renders the same. */
export interface MinutesView {
  room: {
    id: string;
    title: string;
    topicId: string;
    startedAt: string | null;
    endedAt: string | null;
    /** Whole minutes between start and end (rounded). */
    durationMinutes: number;
  };
  /** Everyone who started or ended the room or took a facilitator action in it, by first action. */
  facilitators: MinutesPerson[];
  /** The peak, and the count of each minute the room was live (summed over nodes). */
  attendance: { peak: number; timeline: { at: string; count: number }[] };
  /** Chat messages posted in the room (every status; questions carried over are not messages). */
  messages: { count: number };
  /** `unanswered` = still visible or awaiting approval when the room ended. */
  questions: { count: number; answered: number; unanswered: number; dismissed: number };
  /** Most upvoted first; each with the topic comment it became (`commentId`) once carried over. */
  unansweredQuestions: QuestionView[];
  /** Up to 5 visible messages with at least one agree, most agreed first. */
  topAgreed: {
    id: string;
    author: MinutesPerson;
    body: string;
    agreeCount: number;
    createdAt: string;
  }[];
  /** Audit log rows about the room, its questions and its messages, oldest first. */
  moderation: {
    action: string;
    actor: MinutesPerson | null;
    /** `displayName`: the user, or the author of the message or question acted on. */
    target: { type: string; id: string; displayName?: string };
    reason: string | null;
    at: string;
  }[];
  /** Totals of the live reactions, by emoji. */
  reactions: Record<string, number>;
}
