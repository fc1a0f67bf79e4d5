import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { AcceptsBody } from '../core/http/body-checks';
import { Idempotent } from '../core/http/idempotency/idempotency.interceptor';
import { type Page } from '../core/http/pagination';
import { Problem } from '../core/http/problem';
import { UuidParam } from '../core/http/validation';
import { ApiDoc } from '../core/openapi/api-doc';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser, OptionalUser, Public } from '../identity/auth/auth.decorators';
import { ExportWriter } from '../open-data/export-writer';
import { recordSchema } from '../open-data/open-data.openapi';
import { BUDGET_PROJECTS, BUDGET_RESULTS } from './budget-datasets';
import { BudgetExports } from './budget-exports';
import {
  BudgetQueries,
  type BudgetView,
  type PaperEntryView,
  type ProjectView,
} from './budget-queries';
import { type BallotView, BudgetsService, type ResultsView } from './budgets.service';
import {
  BallotDto,
  BudgetResultsOpenDataQuery,
  ClaimDto,
  CreateBudgetDto,
  ExportQuery,
  HeadingDto,
  ListProjectsQuery,
  MilestoneDto,
  OnsiteBallotDto,
  PaperTotalDto,
  PhaseDto,
  ProjectDto,
  ReviewDto,
  UpdateBudgetDto,
} from './dto/budget.dto';

const CSV = {
  mediaType: 'text/csv',
  description: 'With `format=csv`: RFC 4180, UTF-8 with a byte-order mark, a header line.',
};

/**
 * Participatory budgets (시민참여예산). Facilitators of the budget's space manage it; signed-in
 * residents propose and vote; anyone reads its public parts. Thin: the rules are in the service.
 */
@ApiTags('budgets')
@ApiBearerAuth()
@Controller()
export class BudgetsController {
  constructor(
    private readonly budgets: BudgetsService,
    private readonly queries: BudgetQueries,
    private readonly exports: BudgetExports,
    private readonly writer: ExportWriter,
  ) {}

  @Post('spaces/:spaceId/budgets')
  @Idempotent()
  @ApiDoc({
    summary: 'Create a participatory budget in a space',
    description: 'Facilitators of the space. It starts in phase `proposals`. Audited.',
    status: 201,
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  async create(
    @CurrentUser() user: AuthUser,
    @UuidParam('spaceId') spaceId: string,
    @Body() dto: CreateBudgetDto,
  ): Promise<BudgetView> {
    const id = await this.budgets.create(user, spaceId, dto);
    return this.queries.budget(id, user);
  }

  @Public()
  @Get('spaces/:spaceId/budgets')
  @ApiDoc({
    summary: "A space's budgets",
    status: 200,
    problems: { 404: ['not_found'] },
  })
  list(
    @UuidParam('spaceId') spaceId: string,
    @OptionalUser() user?: AuthUser,
  ): Promise<{ items: BudgetView[]; nextCursor: null }> {
    return this.queries.list(spaceId, user);
  }

  @Public()
  @Get('budgets/:id')
  @ApiDoc({
    summary: 'Get a budget',
    description: 'Phase, dates, rule, headings with caps, project counts and the public timeline.',
    status: 200,
    problems: { 404: ['not_found'] },
  })
  get(@UuidParam('id') id: string, @OptionalUser() user?: AuthUser): Promise<BudgetView> {
    return this.queries.budget(id, user);
  }

  @Patch('budgets/:id')
  @ApiDoc({
    summary: 'Edit a budget',
    description:
      'Facilitators. The rule, the classes and the electorate only before `voting`. Audited.',
    status: 200,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['budget_locked'] },
  })
  async update(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: UpdateBudgetDto,
  ): Promise<BudgetView> {
    await this.budgets.update(user, id, dto);
    return this.queries.budget(id, user);
  }

  @Post('budgets/:id/phase')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Move a budget to its next phase',
    description:
      'Facilitators: only the next phase, or past `objection`. Moving to `results` draws the result. Audited.',
    status: 200,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['illegal_transition'] },
  })
  async phase(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: PhaseDto,
  ): Promise<BudgetView> {
    await this.budgets.movePhase(user, id, dto.to);
    return this.queries.budget(id, user);
  }

  @Post('budgets/:id/headings')
  @ApiDoc({
    summary: 'Add a heading with its cap',
    description: 'Facilitators, before `voting`. Audited.',
    status: 201,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['budget_phase', 'conflict'] },
  })
  async heading(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: HeadingDto,
  ): Promise<BudgetView> {
    await this.budgets.addHeading(user, id, dto);
    return this.queries.budget(id, user);
  }

  @Post('budgets/:id/projects')
  @Idempotent()
  @ApiDoc({
    summary: 'Propose a project',
    description: 'Signed in, in phase `proposals`. The project gets its own discussion thread.',
    status: 201,
    problems: { 403: ['banned'], 404: ['not_found'], 409: ['budget_phase'] },
  })
  async propose(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: ProjectDto,
  ): Promise<ProjectView> {
    const projectId = await this.budgets.createProject(user, id, dto);
    return this.queries.project(projectId, user);
  }

  @Public()
  @Get('budgets/:id/projects')
  @ApiDoc({
    summary: "A budget's projects",
    description: '`sort=random` (the default) is stable per viewer.',
    status: 200,
    problems: { 404: ['not_found'] },
  })
  projects(
    @UuidParam('id') id: string,
    @Query() query: ListProjectsQuery,
    @OptionalUser() user?: AuthUser,
  ): Promise<Page<ProjectView>> {
    return this.queries.projects(id, query, user);
  }

  @Public()
  @Get('projects/:id')
  @ApiDoc({
    summary: 'Get a project',
    description:
      'With its review, its thread counts (its `topicId` holds the thread) and milestones.',
    status: 200,
    problems: { 404: ['not_found'] },
  })
  project(@UuidParam('id') id: string, @OptionalUser() user?: AuthUser): Promise<ProjectView> {
    return this.queries.project(id, user);
  }

  @Post('projects/:id/review')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Review a project',
    description:
      'Facilitators, in phase `review`: feasible or not, with a public explanation. Audited.',
    status: 200,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['budget_phase'] },
  })
  async review(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: ReviewDto,
  ): Promise<ProjectView> {
    await this.budgets.review(user, id, dto);
    return this.queries.project(id, user);
  }

  @Post('projects/:id/milestones')
  @ApiDoc({
    summary: 'Add an execution milestone to a project',
    description: 'Facilitators, in phase `execution`. Audited.',
    status: 201,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['budget_phase'] },
  })
  async milestone(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: MilestoneDto,
  ): Promise<ProjectView> {
    await this.budgets.addMilestone(user, id, dto);
    return this.queries.project(id, user);
  }

  @Put('budgets/:id/voters')
  @AcceptsBody('text/csv')
  @ApiConsumes('text/csv')
  @ApiDoc({
    summary: 'Import the voter roll (CSV)',
    description:
      'Facilitators, before voting ends. Header `ref,heading,class`; merges by `ref`. New refs get a one-time code, shown only in this answer. Audited.',
    status: 200,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['budget_phase', 'conflict'] },
  })
  voters(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() body: unknown,
  ): ReturnType<BudgetsService['importRoll']> {
    if (typeof body !== 'string')
      throw Problem.field('body', 'content_type', { types: 'text/csv' });
    return this.budgets.importRoll(user, id, body);
  }

  @Post('budgets/:id/voters/claim')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Claim a line of the voter roll with its code',
    status: 200,
    problems: { 404: ['not_found'], 409: ['code_claimed', 'budget_phase', 'conflict'] },
  })
  claim(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: ClaimDto,
  ): ReturnType<BudgetsService['claim']> {
    return this.budgets.claim(user, id, dto.code);
  }

  @Put('budgets/:id/ballot')
  @ApiDoc({
    summary: 'Cast or change your ballot',
    description:
      'An eligible voter, in phase `voting`. The ballot is replaced whole. Every broken rule is named in `errors[]` (`field` the rule, `path` where).',
    status: 200,
    problems: {
      403: ['not_eligible', 'banned'],
      404: ['not_found'],
      409: ['already_voted', 'budget_phase'],
      422: ['ballot_invalid'],
    },
  })
  async cast(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: BallotDto,
  ): Promise<BallotView & { valid: true }> {
    return { ...(await this.budgets.castOnline(user, id, dto)), valid: true };
  }

  @Get('budgets/:id/ballot')
  @ApiDoc({ summary: 'Your ballot', status: 200, problems: { 404: ['not_found'] } })
  myBallot(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<BallotView> {
    return this.budgets.myBallot(user, id);
  }

  @Delete('budgets/:id/ballot')
  @ApiDoc({
    summary: 'Withdraw your ballot',
    description: 'While voting; a ballot recorded on site cannot be withdrawn online.',
    status: 200,
    problems: { 403: ['not_eligible'], 404: ['not_found'], 409: ['already_voted', 'budget_phase'] },
  })
  withdraw(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<BallotView> {
    return this.budgets.withdraw(user, id);
  }

  @Post('budgets/:id/onsite-ballots')
  @ApiDoc({
    summary: 'Record an on-site ballot',
    description:
      'Facilitators (officers at a booth), in phase `voting`, for a roll line by its `ref`. Audited (never what was chosen).',
    status: 201,
    problems: {
      403: ['forbidden'],
      404: ['not_found'],
      409: ['already_voted', 'budget_phase', 'conflict'],
      422: ['ballot_invalid'],
    },
  })
  onsite(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: OnsiteBallotDto,
  ): ReturnType<BudgetsService['castOnsite']> {
    return this.budgets.castOnsite(user, id, dto);
  }

  @Post('budgets/:id/paper-totals')
  @ApiDoc({
    summary: "Enter a polling station's paper totals",
    description: 'Facilitators, in phase `voting`. Audited.',
    status: 201,
    problems: {
      403: ['forbidden'],
      404: ['not_found'],
      409: ['already_entered', 'budget_phase', 'conflict'],
      422: ['unprocessable'],
    },
  })
  async paper(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: PaperTotalDto,
  ): Promise<{ id: string }> {
    return { id: await this.budgets.paperTotals(user, id, dto) };
  }

  @Get('budgets/:id/paper-totals')
  @ApiDoc({
    summary: 'The paper totals entered so far',
    description:
      'Facilitators: each station, heading and class entered, with its number of ballots and who entered it; never the counts per project.',
    status: 200,
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  paperEntries(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<{ items: PaperEntryView[] }> {
    return this.queries.paperEntries(id, user);
  }

  @Public()
  @Get('budgets/:id/results')
  @ApiDoc({
    summary: "A budget's results",
    description:
      'From phase `results`, or while voting when the budget has `liveTally` (then `final` is false).',
    status: 200,
    problems: { 404: ['not_found'], 409: ['results_not_public'] },
  })
  results(@UuidParam('id') id: string): Promise<ResultsView> {
    return this.budgets.results(id);
  }

  @Public()
  @Get('budgets/:id/export')
  @ApiProduces('application/json', 'text/csv')
  @ApiDoc({
    summary: "Export a budget's projects or results",
    description: '`what=projects` in any phase; `what=results` when the results are public.',
    status: 200,
    alternative: CSV,
    problems: { 404: ['not_found'], 409: ['results_not_public'] },
  })
  export(
    @UuidParam('id') id: string,
    @Query() query: ExportQuery,
    @Res() res: Response,
  ): Promise<void> {
    if (query.what === 'results') {
      return this.writer.send(res, BUDGET_RESULTS, query.format, this.exports.results(id));
    }
    return this.writer.send(res, BUDGET_PROJECTS, query.format, this.exports.projects(id));
  }

  /** One more set of the open-data family (docs/open-data.md), served by the budget module. */
  @Public()
  @Get('open-data/budget-results')
  @ApiTags('open-data')
  @ApiProduces('application/json', 'text/csv')
  @ApiDoc({
    summary: 'Export the results of participatory budgets',
    description:
      'Every budget whose results are public (from `results`, or while voting with `liveTally`), of one space or one budget.',
    status: 200,
    type: [recordSchema(BUDGET_RESULTS, 'OpenDataBudgetResult')],
    alternative: CSV,
    problems: { 404: ['not_found'], 409: ['results_not_public'] },
  })
  openResults(@Query() query: BudgetResultsOpenDataQuery, @Res() res: Response): Promise<void> {
    return this.writer.send(res, BUDGET_RESULTS, query.format, this.exports.openResults(query));
  }
}
