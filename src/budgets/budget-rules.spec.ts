import {
  allowedNextPhases,
  type BudgetRule,
  checkBallot,
  computeResults,
  type HeadingInfo,
  type ProjectInfo,
  type TallyInput,
} from './budget-rules';

const heading = (over: Partial<HeadingInfo> = {}): HeadingInfo => ({
  id: 'h1',
  name: '성북구',
  amount: 100,
  group: null,
  maxChoices: null,
  ...over,
});

const project = (
  id: string,
  cost: number,
  proposedAt: number,
  over: Partial<ProjectInfo> = {},
): ProjectInfo => ({
  id,
  headingId: 'h1',
  cost,
  status: 'feasible',
  proposedAt,
  ...over,
});

/** Choices as the tally reads them: each listed ballot of a class, its projects in rank order. */
function tally(
  rule: BudgetRule,
  headings: HeadingInfo[],
  projects: ProjectInfo[],
  classes: { key: string; weight: number }[],
  ballots: { classKey: string; headingId?: string; projectIds: string[] }[],
): TallyInput {
  const b = new Map<string, number>();
  const c = new Map<string, number>();
  for (const ballot of ballots) {
    const h = ballot.headingId ?? 'h1';
    const k = `${h}|${ballot.classKey}|online`;
    b.set(k, (b.get(k) ?? 0) + 1);
    ballot.projectIds.forEach((p, i) => {
      const key = `${p}|${ballot.classKey}|${i + 1}`;
      c.set(key, (c.get(key) ?? 0) + 1);
    });
  }
  return {
    rule,
    classes: classes.map((x) => ({ ...x, name: x.key })),
    headings,
    projects,
    ballots: b,
    choices: c,
    paperBallots: new Map(),
    paperCounts: new Map(),
  };
}

const approval: BudgetRule = { kind: 'approval', maxChoices: 3, minSpendRatio: null };
const knapsack: BudgetRule = { kind: 'knapsack', maxChoices: null, minSpendRatio: 0.5 };

describe('budget phases', () => {
  it('moves one phase on, and may skip objection only from review', () => {
    expect(allowedNextPhases('proposals')).toEqual(['review']);
    expect(allowedNextPhases('review')).toEqual(['objection', 'voting']);
    expect(allowedNextPhases('objection')).toEqual(['voting']);
    expect(allowedNextPhases('execution')).toEqual([]);
  });
});

describe('greedy-with-skip results, worked by hand', () => {
  // Cap 100. Votes: A 5 (cost 60), B 4 (cost 50), C 3 (cost 30), D 3 (cost 20), E 1 (cost 10).
  // A is taken (40 left); B does not fit and is skipped; C and D tie at 3 votes: D is cheaper
  // so it comes first (20 left), then C does not fit (30 > 20), then E fits (10 left).
  it('skips a project that does not fit, takes a cheaper one after it, breaks ties by cost', () => {
    const projects = [
      project('A', 60, 1),
      project('B', 50, 2),
      project('C', 30, 3),
      project('D', 20, 4),
      project('E', 10, 5),
    ];
    const votes = (ids: string[], n: number): { classKey: string; projectIds: string[] }[] =>
      Array.from({ length: n }, () => ({ classKey: 'all', projectIds: ids }));
    const ballots = [
      ...votes(['A', 'B', 'C'], 3), // A3 B3 C3
      ...votes(['A', 'D'], 2), // A5 D2
      ...votes(['B', 'D', 'E'], 1), // B4 D3 E1
    ];
    const [h] = computeResults(
      tally(approval, [heading()], projects, [{ key: 'all', weight: 100 }], ballots),
    );
    expect(h!.projects.map((p) => [p.projectId, p.points.all, p.reason])).toEqual([
      ['A', 5, 'selected'],
      ['B', 4, 'did_not_fit'],
      ['D', 3, 'selected'],
      ['C', 3, 'did_not_fit'],
      ['E', 1, 'selected'],
    ]);
    expect(h!.spent).toBe(90);
    expect(h!.remaining).toBe(10);
    expect(h!.ballots.online).toBe(6);
  });

  it('breaks a tie of score and cost by the earlier proposal, and lists unfeasible projects apart', () => {
    const projects = [
      project('late', 40, 20),
      project('early', 40, 10),
      project('no', 5, 1, { status: 'unfeasible' }),
    ];
    const ballots = [
      { classKey: 'all', projectIds: ['late'] },
      { classKey: 'all', projectIds: ['early'] },
    ];
    const [h] = computeResults(
      tally(approval, [heading({ amount: 50 })], projects, [{ key: 'all', weight: 100 }], ballots),
    );
    expect(h!.projects.map((p) => [p.projectId, p.reason])).toEqual([
      ['early', 'selected'],
      ['late', 'did_not_fit'],
      ['no', 'unfeasible'],
    ]);
  });

  // Classes 50 / 30 / 10 / 10. Citizens: 10 ballots, 6 for X and 4 for Y. Committee: 2 ballots,
  // both for Y. Score X = 50·6/10 = 30; Y = 50·4/10 + 30·2/2 = 20 + 30 = 50. The committee's two
  // ballots outweigh the citizens' majority for X. Only one of X and Y fits the cap.
  it('applies weighted classes: a small class can outweigh a large one', () => {
    const projects = [project('X', 80, 1), project('Y', 80, 2)];
    const ballots = [
      ...Array.from({ length: 6 }, () => ({ classKey: 'citizen', projectIds: ['X'] })),
      ...Array.from({ length: 4 }, () => ({ classKey: 'citizen', projectIds: ['Y'] })),
      ...Array.from({ length: 2 }, () => ({ classKey: 'committee', projectIds: ['Y'] })),
    ];
    const classes = [
      { key: 'citizen', weight: 50 },
      { key: 'committee', weight: 30 },
      { key: 'school', weight: 10 },
      { key: 'proposer', weight: 10 },
    ];
    const [h] = computeResults(tally(approval, [heading()], projects, classes, ballots));
    expect(h!.projects.map((p) => [p.projectId, p.score, p.reason])).toEqual([
      ['Y', 50, 'selected'],
      ['X', 30, 'did_not_fit'],
    ]);
    expect(h!.projects[0]!.points).toEqual({ citizen: 4, committee: 2, school: 0, proposer: 0 });
  });

  it('counts ranked ballots by Borda: N points for first, N−1 for second', () => {
    const ranked: BudgetRule = { kind: 'ranked', maxChoices: 3, minSpendRatio: null };
    const projects = [project('P', 10, 1), project('Q', 10, 2), project('R', 10, 3)];
    const ballots = [
      { classKey: 'all', projectIds: ['P', 'Q', 'R'] }, // P3 Q2 R1
      { classKey: 'all', projectIds: ['R', 'Q'] }, // R3 Q2
    ];
    const [h] = computeResults(
      tally(ranked, [heading()], projects, [{ key: 'all', weight: 100 }], ballots),
    );
    // Q and R tie at 4 points and cost the same: Q was proposed first.
    expect(h!.projects.map((p) => [p.projectId, p.points.all])).toEqual([
      ['Q', 4],
      ['R', 4],
      ['P', 3],
    ]);
  });
});

describe('ballot rules', () => {
  const headings = new Map([
    ['h1', heading()],
    ['g1', heading({ id: 'g1', name: '종로구', group: '자치구' })],
    ['g2', heading({ id: 'g2', name: '중구', group: '자치구' })],
  ]);
  const projects = new Map(
    [
      project('A', 60, 1),
      project('B', 50, 2),
      project('S', 10, 3, { status: 'submitted' }),
      project('G', 10, 4, { headingId: 'g1' }),
      project('G2', 10, 5, { headingId: 'g2' }),
    ].map((p) => [p.id, p]),
  );
  const rules = (
    rule: BudgetRule,
    entries: { headingId: string; projectIds: string[] }[],
    own: HeadingInfo | null = null,
  ): string[] =>
    checkBallot(rule, headings, projects, entries, own).map((p) => `${p.field}:${p.rule}`);

  it('names every broken rule with its place', () => {
    expect(rules(knapsack, [{ headingId: 'h1', projectIds: ['A', 'B'] }])).toEqual([
      'ballots[0].projectIds:over_cap',
    ]);
    expect(rules(knapsack, [{ headingId: 'h1', projectIds: ['S'] }])).toEqual([
      'ballots[0].projectIds[0]:not_on_ballot',
      'ballots[0].projectIds:under_min_spend',
    ]);
    expect(
      rules({ ...approval, maxChoices: 1 }, [{ headingId: 'h1', projectIds: ['A', 'A'] }]),
    ).toEqual(['ballots[0].projectIds[1]:duplicate', 'ballots[0].projectIds:too_many']);
    expect(rules(approval, [{ headingId: 'h1', projectIds: ['G'] }])).toEqual([
      'ballots[0].projectIds[0]:not_on_ballot',
    ]);
    expect(
      rules(approval, [
        { headingId: 'g1', projectIds: ['G'] },
        { headingId: 'g2', projectIds: ['G2'] },
      ]),
    ).toEqual(['ballots[1].headingId:two_headings_in_group']);
    expect(rules(approval, [{ headingId: 'g2', projectIds: ['G2'] }], headings.get('g1'))).toEqual([
      'ballots[0].headingId:heading_not_allowed',
    ]);
    expect(rules(approval, [{ headingId: 'nope', projectIds: ['A'] }])).toEqual([
      'ballots[0].headingId:heading_not_allowed',
    ]);
    expect(rules(knapsack, [{ headingId: 'h1', projectIds: ['A'] }])).toEqual([]);
  });
});
