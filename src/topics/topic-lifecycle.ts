import { msg, Problem, term } from '../core/http/problem';
import { type Thresholds } from '../spaces/space.entity';
import { type Rung, type TopicStatus } from './topic.entity';
import { ANSWERABLE, MANUAL_TRANSITIONS } from './topic-status';

export function assertManualTransition(from: TopicStatus, to: TopicStatus): void {
  if (!MANUAL_TRANSITIONS[from].includes(to)) {
    throw Problem.conflict(
      'illegal_transition',
      msg('topics.illegal_transition', { from: term(from), to: term(to) }),
    );
  }
}

/** Statuses in which citizens may still agree, comment and report. */
export const OPEN_STATUSES: readonly TopicStatus[] = ['proposed', 'under_review', 'deliberating'];

/** Statuses an official response may answer. */
export const ANSWERABLE_STATUSES: readonly TopicStatus[] = ANSWERABLE;

/** The refusal of a write that found its topic leaving the open statuses under its lock. */
export const noLongerOpen = (): Problem =>
  Problem.conflict('topic_not_open', msg('code.topic_not_open'));

export function assertOpen(status: TopicStatus): void {
  if (!OPEN_STATUSES.includes(status)) {
    throw Problem.conflict(
      'topic_not_open',
      msg('topics.not_open_status', { status: term(status) }),
    );
  }
}

export type RungName = 'review' | 'deliberation' | 'response';

export interface LadderState {
  status: TopicStatus;
  rung: Rung;
  agreeCount: number;
  participantCount: number;
}

export interface Crossing {
  rung: 1 | 2 | 3;
  name: RungName;
  count: number;
  /** The status the crossing moves the topic to, if any. */
  to?: TopicStatus;
}

/**
 * Which rungs the topic has just crossed. Called on the locked, freshly counted row, so each
 * crossing is seen by exactly one transaction. Agrees climb the first two rungs (while the
 * topic is a proposal); participants in the deliberation climb the third. Withdrawn agrees
 * never undo a crossing.
 */
export function crossings(state: LadderState, t: Thresholds): Crossing[] {
  const out: Crossing[] = [];
  let { status, rung } = state;
  if (
    (status === 'proposed' || status === 'under_review') &&
    rung < 1 &&
    state.agreeCount >= t.review
  ) {
    rung = 1;
    status = 'under_review';
    out.push({ rung: 1, name: 'review', count: state.agreeCount, to: 'under_review' });
  }
  if (
    (status === 'proposed' || status === 'under_review') &&
    rung < 2 &&
    state.agreeCount >= t.deliberation
  ) {
    rung = 2;
    out.push({ rung: 2, name: 'deliberation', count: state.agreeCount, to: 'deliberating' });
  }
  if (state.status === 'deliberating' && rung < 3 && state.participantCount >= t.response) {
    out.push({ rung: 3, name: 'response', count: state.participantCount });
  }
  return out;
}

/** `{rung, next, needed}`: where the topic stands and what the next rung asks. */
export function ladderProgress(
  state: LadderState,
  t: Thresholds,
): { rung: Rung; next: RungName | null; needed: number | null } {
  if (state.rung >= 3) return { rung: state.rung, next: null, needed: null };
  if (state.rung === 2 || state.status === 'deliberating') {
    return {
      rung: state.rung,
      next: 'response',
      needed: Math.max(0, t.response - state.participantCount),
    };
  }
  if (!OPEN_STATUSES.includes(state.status)) return { rung: state.rung, next: null, needed: null };
  if (state.rung === 1) {
    return {
      rung: 1,
      next: 'deliberation',
      needed: Math.max(0, t.deliberation - state.agreeCount),
    };
  }
  return { rung: 0, next: 'review', needed: Math.max(0, t.review - state.agreeCount) };
}
