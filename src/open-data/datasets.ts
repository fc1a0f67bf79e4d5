/**
 * The open-data sets: their columns, in order, with a type and a meaning. One definition serves
 * the CSV header, the JSON keys (the same names), `GET /open-data` and docs/open-data.md (a test
 * holds the document to these lists). Columns are added at the end; none is renamed, retyped or
 * removed without a new dataset name.
 */

export type ColumnType = 'uuid' | 'text' | 'integer' | 'timestamp' | 'date' | 'text[]';

export interface Column {
  name: string;
  type: ColumnType;
  nullable: boolean;
  description: string;
}

export interface Dataset {
  /** The path under /api/v1/open-data/ and the file name. */
  name: string;
  title: string;
  description: string;
  columns: readonly Column[];
}

const col = (name: string, type: ColumnType, description: string, nullable = false): Column => ({
  name,
  type,
  nullable,
  description,
});

export const TOPICS: Dataset = {
  name: 'topics',
  title: 'Topics',
  description: 'Every topic of every space (or of one space), with its counts and its milestones.',
  columns: [
    col('id', 'uuid', 'The topic.'),
    col('space_id', 'uuid', 'Its space.'),
    col('space_slug', 'text', "Its space's URL name."),
    col('title', 'text', 'The title.'),
    col('body', 'text', 'The proposal, as its author wrote it (plain text).'),
    col('tags', 'text[]', 'Tags; in CSV joined by `;`.'),
    col(
      'status',
      'text',
      '`proposed`, `under_review`, `deliberating`, `closed`, `answered`, `rejected` or `expired`.',
    ),
    col(
      'rung',
      'integer',
      'Highest rung of the ladder reached: 0 none, 1 review, 2 deliberation, 3 response.',
    ),
    col(
      'author_name',
      'text',
      "The author's display name (no other detail of a person is published).",
    ),
    col('agree_count', 'integer', 'Agrees now standing.'),
    col('comment_count', 'integer', 'Comments, hidden and deleted ones included.'),
    col(
      'participant_count',
      'integer',
      'Distinct people who commented, agreed or took a stance while it was deliberating.',
    ),
    col('stance_for', 'integer', 'Stances 찬성 (for).'),
    col('stance_against', 'integer', 'Stances 반대 (against).'),
    col('stance_neutral', 'integer', 'Stances 기타 (neutral).'),
    col('created_at', 'timestamp', 'Proposed at.'),
    col(
      'proposal_expires_at',
      'timestamp',
      'When the proposal expires unless it reaches the first rung.',
    ),
    col(
      'review_reached_at',
      'timestamp',
      'When its agrees reached the review rung (an answer became owed).',
      true,
    ),
    col('deliberation_opened_at', 'timestamp', 'When its deliberation opened.', true),
    col('closes_at', 'timestamp', 'When its deliberation closes (or closed).', true),
    col(
      'response_reached_at',
      'timestamp',
      'When its participants reached the response rung.',
      true,
    ),
    col('answered_at', 'timestamp', 'When it was answered officially.', true),
    col('rejected_reason', 'text', 'Why it was rejected.', true),
    col('last_activity_at', 'timestamp', 'Its last comment, agree or status change.'),
  ],
};

export const TOPIC_TIMELINE: Dataset = {
  name: 'topic-timeline',
  title: 'Topic timelines',
  description:
    'The public timeline of every topic: proposals, ladder crossings, status changes and official answers.',
  columns: [
    col('topic_id', 'uuid', 'The topic.'),
    col(
      'seq',
      'integer',
      "The event's number within its topic (the topic's public event sequence).",
    ),
    col('type', 'text', '`created`, `ladder_crossed`, `transitioned` or `answered`.'),
    col('occurred_at', 'timestamp', 'When.'),
    col(
      'actor_name',
      'text',
      'Who acted, by display name; empty when the system did (a ladder crossing, an expiry).',
      true,
    ),
    col('rung', 'text', '`ladder_crossed`: the rung (`review`, `deliberation`, `response`).', true),
    col(
      'count',
      'integer',
      '`ladder_crossed`: the agrees (participants for `response`) that crossed it.',
      true,
    ),
    col('status_from', 'text', '`transitioned`: the status before.', true),
    col('status_to', 'text', '`transitioned`: the status after.', true),
    col(
      'reason',
      'text',
      '`transitioned`: the reason given (rejections, deliberations opened below their threshold).',
      true,
    ),
    col('response_role', 'text', '`answered`: the answering office.', true),
  ],
};

export const COMMENTS: Dataset = {
  name: 'comments',
  title: 'Comments',
  description:
    'Every comment of every topic. Hidden and deleted comments keep their place without their text; deleted ones without their author either.',
  columns: [
    col('id', 'uuid', 'The comment.'),
    col('topic_id', 'uuid', 'Its topic.'),
    col('space_id', 'uuid', "Its topic's space."),
    col('parent_id', 'uuid', 'The comment it answers; empty for a top-level comment.', true),
    col('depth', 'integer', '0 for a top-level comment, 1 for a reply, and so on.'),
    col('author_name', 'text', "The author's display name; empty for a deleted comment.", true),
    col('body', 'text', 'The text (plain, with line breaks); empty when hidden or deleted.', true),
    col('status', 'text', '`visible`, `hidden` (by moderation) or `deleted` (by its author).'),
    col(
      'hidden_reason',
      'text',
      "`hidden`: the moderators' public reason; the system's are codes: `code:reports_pending` (hidden at the report threshold), `code:reviewed_<report reason>` (a hide confirmed from the report queue); rows before them hold English sentences.",
      true,
    ),
    col(
      'stance',
      'text',
      '`for`, `against` or `neutral` when the author took one; empty when deleted.',
      true,
    ),
    col('agree_count', 'integer', 'Agrees now standing.'),
    col('reply_count', 'integer', 'Comments below it, hidden and deleted ones included.'),
    col('room_id', 'uuid', 'The live town hall it was posted in.', true),
    col('created_at', 'timestamp', 'Posted at.'),
    col('edited_at', 'timestamp', 'Last edited at.', true),
  ],
};

export const DAILY_AGREES: Dataset = {
  name: 'daily-agrees',
  title: 'Daily agrees per topic',
  description:
    'Agrees with each topic by the day they were made, in the requested time zone; only days with agrees are listed.',
  columns: [
    col('topic_id', 'uuid', 'The topic.'),
    col('space_id', 'uuid', 'Its space.'),
    col('day', 'date', 'The day (YYYY-MM-DD) in `timeZone` (default UTC).'),
    col(
      'agrees',
      'integer',
      'Agrees made that day and still standing (a withdrawn agree is not counted).',
    ),
    col('cumulative', 'integer', 'Standing agrees made on or before that day.'),
  ],
};

/** Every dataset, in the order `GET /open-data` lists them. */
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
    col('space_id', 'uuid', 'Its space.'),
    col(
      'phase',
      'text',
      'The phase of the budget when exported (`voting` = a live, not final, tally).',
    ),
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
    col(
      'score',
      'text',
      'Σ over classes of weight × points ÷ ballots of the class, to 4 decimals.',
    ),
    col('points', 'text', 'Points per voter class, as `class=n` joined by `;`.'),
    col('selected', 'text', '`true` or `false`.'),
    col('reason', 'text', '`selected`, `did_not_fit` or `unfeasible`.'),
  ],
};

export const DATASETS: readonly Dataset[] = [
  TOPICS,
  TOPIC_TIMELINE,
  COMMENTS,
  DAILY_AGREES,
  BUDGET_RESULTS,
];
