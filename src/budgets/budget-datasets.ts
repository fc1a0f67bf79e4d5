import { type Dataset } from '../open-data/datasets';

const col = (
  name: string,
  type: Dataset['columns'][number]['type'],
  description: string,
  nullable = false,
): Dataset['columns'][number] => ({ name, type, nullable, description });

/** A budget's projects: no vote count, so this export is public in every phase. */
export const BUDGET_PROJECTS: Dataset = {
  name: 'budget-projects',
  title: 'Budget projects',
  description: 'The projects of one participatory budget, with their review and status.',
  columns: [
    col('id', 'uuid', 'The project.'),
    col('budget_id', 'uuid', 'Its budget.'),
    col('heading_id', 'uuid', 'Its heading.'),
    col('heading_name', 'text', "The heading's name."),
    col('title', 'text', 'The title.'),
    col('summary', 'text', 'The summary.'),
    col('amount', 'integer', 'The amount asked (KRW).'),
    col('cost', 'integer', 'The cost retained: the reviewed cost, else the amount asked (KRW).'),
    col('category', 'text', 'The category (분야).', true),
    col('location', 'text', 'The location.', true),
    col('status', 'text', '`submitted`, `feasible`, `unfeasible`, `selected` or `not_selected`.'),
    col('proposer_name', 'text', "The proposer's display name."),
    col('review_explanation', 'text', "The review's public explanation.", true),
    col('agree_count', 'integer', 'Supports (agrees) on its thread.'),
    col('comment_count', 'integer', 'Comments on its thread.'),
    col('created_at', 'timestamp', 'Proposed at.'),
  ],
};

/**
 * A budget's results, one row per project: published only when the results are (after voting,
 * or during it with a public live tally). Ballots only as aggregates, never with a voter.
 */
export const BUDGET_RESULTS: Dataset = {
  name: 'budget-results',
  title: 'Budget results',
  description:
    'Per heading, each project with its score, its points per voter class and whether it was selected, did not fit, or was unfeasible.',
  columns: [
    col('budget_id', 'uuid', 'The budget.'),
    col('phase', 'text', 'The phase of the budget when exported (`voting` = a live, not final, tally).'),
    col('heading_id', 'uuid', 'The heading.'),
    col('heading_name', 'text', "The heading's name."),
    col('heading_amount', 'integer', "The heading's cap (KRW)."),
    col('heading_spent', 'integer', 'What the selected projects cost (KRW).'),
    col('ballots_online', 'integer', 'Online ballots in the heading.'),
    col('ballots_onsite', 'integer', 'On-site ballots in the heading.'),
    col('ballots_paper', 'integer', 'Paper ballots entered as totals in the heading.'),
    col('project_id', 'uuid', 'The project.'),
    col('project_title', 'text', "The project's title."),
    col('project_cost', 'integer', "The project's cost (KRW)."),
    col('score', 'text', 'Σ over classes of weight × points ÷ ballots of the class, to 4 decimals.'),
    col('points', 'text', 'Points per voter class, as `class=n` joined by `;`.'),
    col('selected', 'text', '`true` or `false`.'),
    col('reason', 'text', '`selected`, `did_not_fit` or `unfeasible`.'),
  ],
};
