import { msg, type Message } from '../core/http/problem';
import { type RungName } from './topic-lifecycle';

/**
 * Why the system (not a person) moved a topic: stored as data on the timeline entry, so each
 * reader gets the sentence in their own language.
 */
export type SystemCause =
  | { kind: 'threshold'; rung: RungName; count: number }
  | { kind: 'proposal_window' }
  | { kind: 'closing_time' };

export function causeMessage(cause: SystemCause): Message {
  switch (cause.kind) {
    case 'threshold':
      return msg('timeline.threshold', { rung: { term: cause.rung }, count: cause.count });
    case 'proposal_window':
      return msg('timeline.proposal_window');
    case 'closing_time':
      return msg('timeline.closing_time');
  }
}

const THRESHOLD = /^(review|deliberation|response) threshold reached \((\d+)\)$/;

/**
 * The cause of a system move, from the data of its timeline entry: the `cause` entries carry
 * since they have one, or the English reason older entries were written with.
 */
export function causeOf(data: Record<string, unknown>, actorId: string | null): SystemCause | null {
  const given = data.cause as SystemCause | undefined;
  if (given && typeof given === 'object' && typeof given.kind === 'string') return given;
  if (actorId !== null || typeof data.reason !== 'string') return null;
  const threshold = THRESHOLD.exec(data.reason);
  if (threshold)
    return { kind: 'threshold', rung: threshold[1] as RungName, count: Number(threshold[2]) };
  if (data.reason === 'the proposal window ended below the first threshold')
    return { kind: 'proposal_window' };
  if (data.reason === 'the deliberation reached its closing time') return { kind: 'closing_time' };
  return null;
}
