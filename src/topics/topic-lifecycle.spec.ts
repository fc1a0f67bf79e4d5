import { Problem } from '../core/http/problem';
import { SEOUL_THRESHOLDS } from '../spaces/space.entity';
import { assertManualTransition, crossings, ladderProgress } from './topic-lifecycle';

const t = SEOUL_THRESHOLDS;

describe('topic lifecycle', () => {
  it('allows only the manual moves of the state machine', () => {
    expect(() => assertManualTransition('proposed', 'deliberating')).not.toThrow();
    expect(() => assertManualTransition('deliberating', 'closed')).not.toThrow();
    expect(() => assertManualTransition('under_review', 'rejected')).not.toThrow();
    for (const [from, to] of [
      ['proposed', 'closed'],
      ['closed', 'deliberating'],
      ['rejected', 'deliberating'],
      ['answered', 'rejected'],
      ['closed', 'rejected'],
      ['deliberating', 'deliberating'],
    ] as const) {
      expect(() => assertManualTransition(from, to)).toThrow(Problem);
    }
  });

  it('crosses the review rung at exactly 50 agrees', () => {
    expect(
      crossings({ status: 'proposed', rung: 0, agreeCount: 49, participantCount: 0 }, t),
    ).toEqual([]);
    expect(
      crossings({ status: 'proposed', rung: 0, agreeCount: 50, participantCount: 0 }, t),
    ).toEqual([{ rung: 1, name: 'review', count: 50, to: 'under_review' }]);
    expect(
      crossings({ status: 'under_review', rung: 1, agreeCount: 51, participantCount: 0 }, t),
    ).toEqual([]);
  });

  it('opens a deliberation at 100 agrees, crossing both rungs when thresholds coincide', () => {
    expect(
      crossings({ status: 'under_review', rung: 1, agreeCount: 100, participantCount: 0 }, t),
    ).toEqual([{ rung: 2, name: 'deliberation', count: 100, to: 'deliberating' }]);
    const flat = { ...t, review: 10, deliberation: 10 };
    expect(
      crossings({ status: 'proposed', rung: 0, agreeCount: 10, participantCount: 0 }, flat).map(
        (c) => c.rung,
      ),
    ).toEqual([1, 2]);
  });

  it('asks for a top-level answer at 1,000 deliberation participants, once', () => {
    expect(
      crossings({ status: 'deliberating', rung: 2, agreeCount: 120, participantCount: 1000 }, t),
    ).toEqual([{ rung: 3, name: 'response', count: 1000 }]);
    expect(
      crossings({ status: 'deliberating', rung: 3, agreeCount: 120, participantCount: 1001 }, t),
    ).toEqual([]);
  });

  it('reports progress towards the next rung', () => {
    expect(
      ladderProgress({ status: 'proposed', rung: 0, agreeCount: 12, participantCount: 0 }, t),
    ).toEqual({ rung: 0, next: 'review', needed: 38 });
    expect(
      ladderProgress({ status: 'under_review', rung: 1, agreeCount: 70, participantCount: 0 }, t),
    ).toEqual({ rung: 1, next: 'deliberation', needed: 30 });
    expect(
      ladderProgress(
        { status: 'deliberating', rung: 2, agreeCount: 100, participantCount: 400 },
        t,
      ),
    ).toEqual({ rung: 2, next: 'response', needed: 600 });
    expect(
      ladderProgress({ status: 'rejected', rung: 0, agreeCount: 3, participantCount: 0 }, t),
    ).toEqual({ rung: 0, next: null, needed: null });
  });
});
