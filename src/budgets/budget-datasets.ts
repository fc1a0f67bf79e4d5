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

export { BUDGET_RESULTS } from '../open-data/datasets';
