/**
 * The rules of a participatory budget as pure functions, free of the database so they can be
 * worked by hand in unit tests: the phases and their order, what a ballot may hold under each
 * ballot rule, and how results are drawn under each heading's cap.
 */

export const BUDGET_PHASES = [
  'proposals',
  'review',
  'objection',
  'voting',
  'results',
  'execution',
] as const;
export type BudgetPhase = (typeof BUDGET_PHASES)[number];

export const RULE_KINDS = ['knapsack', 'approval', 'ranked'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const ELECTORATES = ['open', 'roll'] as const;
export type Electorate = (typeof ELECTORATES)[number];

export const PROJECT_STATUSES = [
  'submitted',
  'feasible',
  'unfeasible',
  'selected',
  'not_selected',
] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** The one phase a budget may move to from each: the next, or past `objection` (it may be skipped). */
export function allowedNextPhases(from: BudgetPhase): BudgetPhase[] {
  const i = BUDGET_PHASES.indexOf(from);
  const next = BUDGET_PHASES[i + 1];
  if (!next) return [];
  return from === 'review' ? ['objection', 'voting'] : [next];
}

export const phaseIndex = (phase: BudgetPhase): number => BUDGET_PHASES.indexOf(phase);

export interface BudgetRule {
  kind: RuleKind;
  maxChoices: number | null;
  minSpendRatio: number | null;
}

export interface VoterClass {
  key: string;
  name: string;
  weight: number;
}

export interface HeadingInfo {
  id: string;
  name: string;
  amount: number;
  group: string | null;
  maxChoices: number | null;
}

export interface ProjectInfo {
  id: string;
  headingId: string;
  /** What the project costs: the reviewed cost when the review gave one, else the amount asked. */
  cost: number;
  status: ProjectStatus;
  /** The proposal's time in milliseconds (the last tie rule: the earlier proposal first). */
  proposedAt: number;
}

/** A project is on the ballot once reviewed feasible (and stays so once selected or not). */
export const onBallot = (status: ProjectStatus): boolean =>
  status === 'feasible' || status === 'selected' || status === 'not_selected';

export interface BallotEntry {
  headingId: string;
  projectIds: string[];
}

export const BALLOT_ERRORS = [
  'over_cap',
  'too_many',
  'under_min_spend',
  'not_on_ballot',
  'duplicate',
  'heading_not_allowed',
  'two_headings_in_group',
] as const;
export type BallotError = (typeof BALLOT_ERRORS)[number];

/** A broken rule: `field` says where (`ballots[0].projectIds[2]`), `rule` which. */
export interface BallotProblem {
  field: string;
  rule: BallotError;
  params?: Record<string, string | number>;
}

/** The most choices a heading's ballot takes: the heading's own limit, else the rule's. */
export const choiceLimit = (rule: BudgetRule, heading: HeadingInfo): number | null =>
  heading.maxChoices ?? rule.maxChoices;

/**
 * Every rule the ballot breaks, each named with its field; empty when the ballot is valid.
 * `voterHeading` is a roll voter's own heading: in its group they may choose only it.
 */
export function checkBallot(
  rule: BudgetRule,
  headings: ReadonlyMap<string, HeadingInfo>,
  projects: ReadonlyMap<string, ProjectInfo>,
  entries: readonly BallotEntry[],
  voterHeading: HeadingInfo | null,
): BallotProblem[] {
  const problems: BallotProblem[] = [];
  const groups = new Map<string, number>();
  const seenHeadings = new Set<string>();
  entries.forEach((entry, i) => {
    const at = `ballots[${i}]`;
    const heading = headings.get(entry.headingId);
    if (!heading) {
      problems.push({ field: `${at}.headingId`, rule: 'heading_not_allowed' });
      return;
    }
    if (seenHeadings.has(heading.id)) {
      problems.push({ field: `${at}.headingId`, rule: 'duplicate' });
      return;
    }
    seenHeadings.add(heading.id);
    if (
      voterHeading &&
      voterHeading.group !== null &&
      heading.group === voterHeading.group &&
      heading.id !== voterHeading.id
    ) {
      problems.push({ field: `${at}.headingId`, rule: 'heading_not_allowed' });
    }
    if (heading.group !== null) {
      const first = groups.get(heading.group);
      if (first !== undefined) {
        problems.push({
          field: `${at}.headingId`,
          rule: 'two_headings_in_group',
          params: { group: heading.group },
        });
      } else groups.set(heading.group, i);
    }
    const seen = new Set<string>();
    let total = 0;
    entry.projectIds.forEach((projectId, j) => {
      const field = `${at}.projectIds[${j}]`;
      const project = projects.get(projectId);
      if (!project || project.headingId !== heading.id || !onBallot(project.status)) {
        problems.push({ field, rule: 'not_on_ballot' });
        return;
      }
      if (seen.has(projectId)) {
        problems.push({ field, rule: 'duplicate' });
        return;
      }
      seen.add(projectId);
      total += project.cost;
    });
    const limit = choiceLimit(rule, heading);
    if (limit !== null && entry.projectIds.length > limit) {
      problems.push({ field: `${at}.projectIds`, rule: 'too_many', params: { max: limit } });
    }
    if (rule.kind === 'knapsack') {
      if (total > heading.amount) {
        problems.push({
          field: `${at}.projectIds`,
          rule: 'over_cap',
          params: { cap: heading.amount, total },
        });
      }
      const min = rule.minSpendRatio === null ? 0 : Math.ceil(rule.minSpendRatio * heading.amount);
      if (total < min) {
        problems.push({
          field: `${at}.projectIds`,
          rule: 'under_min_spend',
          params: { min, total },
        });
      }
    }
  });
  return problems;
}

/** Points a choice at `rank` (1 = first) is worth: Borda for `ranked`, one otherwise. */
export function pointsFor(
  rule: BudgetRule,
  heading: HeadingInfo,
  rank: number,
  onBallotCount: number,
): number {
  if (rule.kind !== 'ranked') return 1;
  const n = choiceLimit(rule, heading) ?? onBallotCount;
  return Math.max(0, n + 1 - rank);
}

/** What was counted, by heading and class: the tally's raw material, read from ballot rows. */
export interface TallyInput {
  rule: BudgetRule;
  classes: readonly VoterClass[];
  headings: readonly HeadingInfo[];
  projects: readonly ProjectInfo[];
  /** Ballots that chose in a heading: `${headingId}|${classKey}|${channel}` → n. */
  ballots: ReadonlyMap<string, number>;
  /** Choices: `${projectId}|${classKey}|${rank}` → n. */
  choices: ReadonlyMap<string, number>;
  /** Paper ballots per heading and class: `${headingId}|${classKey}` → n. */
  paperBallots: ReadonlyMap<string, number>;
  /** Paper counts per project and class: `${projectId}|${classKey}` → n (ballots choosing it). */
  paperCounts: ReadonlyMap<string, number>;
}

export type ResultReason = 'selected' | 'did_not_fit' | 'unfeasible';

export interface ProjectResult {
  projectId: string;
  score: number;
  points: Record<string, number>;
  selected: boolean;
  reason: ResultReason;
}

export interface HeadingResult {
  headingId: string;
  amount: number;
  spent: number;
  remaining: number;
  ballots: { online: number; onsite: number; paper: number };
  projects: ProjectResult[];
}

/** Scores closer than this are equal (they are sums of quotients; the same counts give the same score). */
const SCORE_EPSILON = 1e-9;

/**
 * Results under each cap. A project's score is Σ over classes of weight × (the class's points
 * for it ÷ the class's ballots in the heading), so with one class it orders projects as the
 * plain count does. Projects are taken in score order while they fit in what is left of the cap;
 * one that does not fit is skipped and the next is tried. Ties: the smaller cost first, then the
 * earlier proposal. Unfeasible projects are listed last, never selected.
 */
export function computeResults(input: TallyInput): HeadingResult[] {
  const { rule, classes } = input;
  return input.headings.map((heading) => {
    const mine = input.projects.filter((p) => p.headingId === heading.id);
    const listed = mine.filter((p) => onBallot(p.status));
    const classBallots = new Map<string, number>();
    const ballots = { online: 0, onsite: 0, paper: 0 };
    for (const c of classes) {
      const online = input.ballots.get(`${heading.id}|${c.key}|online`) ?? 0;
      const onsite = input.ballots.get(`${heading.id}|${c.key}|onsite`) ?? 0;
      const paper = input.paperBallots.get(`${heading.id}|${c.key}`) ?? 0;
      ballots.online += online;
      ballots.onsite += onsite;
      ballots.paper += paper;
      classBallots.set(c.key, online + onsite + paper);
    }
    const maxRank = choiceLimit(rule, heading) ?? listed.length;
    const scored = listed.map((project) => {
      const points: Record<string, number> = {};
      let score = 0;
      for (const c of classes) {
        let p = input.paperCounts.get(`${project.id}|${c.key}`) ?? 0;
        for (let rank = 1; rank <= Math.max(maxRank, 1); rank++) {
          const n = input.choices.get(`${project.id}|${c.key}|${rank}`) ?? 0;
          if (n) p += n * pointsFor(rule, heading, rank, listed.length);
        }
        points[c.key] = p;
        const b = classBallots.get(c.key) ?? 0;
        if (b > 0) score += (c.weight * p) / b;
      }
      return { project, points, score };
    });
    scored.sort(
      (a, b) =>
        (Math.abs(a.score - b.score) > SCORE_EPSILON ? b.score - a.score : 0) ||
        a.project.cost - b.project.cost ||
        a.project.proposedAt - b.project.proposedAt ||
        (a.project.id < b.project.id ? -1 : a.project.id > b.project.id ? 1 : 0),
    );
    let remaining = heading.amount;
    const projects: ProjectResult[] = scored.map(({ project, points, score }) => {
      const fits = project.cost <= remaining;
      if (fits) remaining -= project.cost;
      return {
        projectId: project.id,
        score: Math.round(score * 10_000) / 10_000,
        points,
        selected: fits,
        reason: fits ? 'selected' : 'did_not_fit',
      };
    });
    for (const project of mine) {
      if (project.status !== 'unfeasible') continue;
      const points = Object.fromEntries(classes.map((c) => [c.key, 0]));
      projects.push({
        projectId: project.id,
        score: 0,
        points,
        selected: false,
        reason: 'unfeasible',
      });
    }
    return {
      headingId: heading.id,
      amount: heading.amount,
      spent: heading.amount - remaining,
      remaining,
      ballots,
      projects,
    };
  });
}
