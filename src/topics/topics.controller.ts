import { type Lang } from '../core/http/i18n/lang';
import { ReaderLang } from '../core/http/i18n/reader-lang.decorator';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Idempotent } from '../core/http/idempotency/idempotency.interceptor';
import { type Page } from '../core/http/pagination';
import { UuidParam } from '../core/http/validation';
import { ApiDoc, pageOf } from '../core/openapi/api-doc';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser, OptionalUser, Public } from '../identity/auth/auth.decorators';
import {
  CreateTopicDto,
  ListTopicsQuery,
  type OwedAnswerItem,
  ResponseDto,
  StanceDto,
  type TimelineEntry,
  TimelineQuery,
  type TopicView,
  TransitionDto,
  UpdateTopicDto,
} from './dto/topic.dto';
import { OwedAnswerItemSchema, TimelineEntrySchema, TopicSchema } from './topic.openapi';
import { TopicResponsesService } from './topic-responses.service';
import { TopicStancesService } from './topic-stances.service';
import { TopicTimelineService } from './topic-timeline.service';
import { TopicTransitionsService } from './topic-transitions.service';
import { TopicsService } from './topics.service';

@ApiTags('topics')
@ApiBearerAuth()
@Controller()
export class TopicsController {
  constructor(
    private readonly topics: TopicsService,
    private readonly transitions: TopicTransitionsService,
    private readonly responses: TopicResponsesService,
    private readonly stances: TopicStancesService,
    private readonly timelines: TopicTimelineService,
  ) {}

  @Post('spaces/:spaceId/topics')
  @Idempotent()
  @ApiDoc({
    summary: 'Propose a topic in a space',
    description: 'The topic starts as `proposed` and collects agrees for the proposal window.',
    status: 201,
    type: TopicSchema,
    problems: { 403: ['banned'], 404: ['not_found'], 409: ['space_archived'] },
  })
  create(
    @CurrentUser() user: AuthUser,
    @UuidParam('spaceId') spaceId: string,
    @Body() dto: CreateTopicDto,
  ): Promise<TopicView> {
    return this.topics.create(user, spaceId, dto);
  }

  @Public()
  @Get('topics')
  @ApiDoc({
    summary: 'List topics',
    description: 'Filtered by space and status, searched in title and body, sorted.',
    status: 200,
    type: pageOf(TopicSchema, 'Topic'),
  })
  list(@Query() query: ListTopicsQuery, @OptionalUser() user?: AuthUser): Promise<Page<TopicView>> {
    return this.topics.list(query, user);
  }

  @Public()
  @Get('topics/:id')
  @ApiDoc({
    summary: 'Get a topic',
    description:
      'With counts, ladder progress, owed answers and, when signed in, `myAgree` and `myStance`.',
    status: 200,
    type: TopicSchema,
    problems: { 404: ['not_found'] },
  })
  get(@UuidParam('id') id: string, @OptionalUser() user?: AuthUser): Promise<TopicView> {
    return this.topics.get(id, user);
  }

  @Patch('topics/:id')
  @ApiDoc({
    summary: 'Edit a topic',
    description: 'Its author while `proposed`; a facilitator at any time (audited).',
    status: 200,
    type: TopicSchema,
    problems: { 403: ['forbidden', 'banned'], 404: ['not_found'], 409: ['topic_not_open'] },
  })
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: UpdateTopicDto,
  ): Promise<TopicView> {
    return this.topics.update(user, id, dto);
  }

  @Post('topics/:id/transitions')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Move a topic to another status by hand',
    description:
      'Facilitators: open a deliberation (below its threshold with a `reason`), close it, or reject ' +
      'with a `reason`. Audited.',
    status: 200,
    type: TopicSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['illegal_transition'] },
  })
  transition(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: TransitionDto,
  ): Promise<TopicView> {
    return this.transitions.transition(user, id, dto);
  }

  @Get('spaces/:spaceId/owed-answers')
  @ApiDoc({
    summary: 'Answers a space still owes',
    description:
      'Facilitators: every unanswered owed answer of the space (up to 500), the earliest due first, ' +
      'each marked `overdue` once its due date has passed.',
    status: 200,
    type: [OwedAnswerItemSchema],
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  owed(
    @CurrentUser() user: AuthUser,
    @UuidParam('spaceId') spaceId: string,
  ): Promise<OwedAnswerItem[]> {
    return this.topics.owedInSpace(user, spaceId);
  }

  @Public()
  @Get('topics/:id/timeline')
  @ApiDoc({
    summary: "A topic's public timeline",
    description: 'Ladder crossings, transitions and responses, oldest first.',
    status: 200,
    type: pageOf(TimelineEntrySchema, 'TimelineEntry'),
    problems: { 404: ['not_found'] },
  })
  timeline(
    @UuidParam('id') id: string,
    @Query() query: TimelineQuery,
    @ReaderLang() lang: Lang,
  ): Promise<Page<TimelineEntry>> {
    return this.timelines.timeline(id, query, lang);
  }

  @Post('topics/:id/response')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Answer a topic officially',
    description:
      'Facilitators, on `under_review` or `closed` topics; the topic becomes `answered`.',
    status: 200,
    type: TopicSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['illegal_transition'] },
  })
  respond(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: ResponseDto,
  ): Promise<TopicView> {
    return this.responses.respond(user, id, dto);
  }

  @Put('topics/:id/stance')
  @ApiDoc({
    summary: 'Take a stance on a topic in deliberation',
    status: 200,
    type: TopicSchema,
    problems: { 403: ['banned'], 404: ['not_found'], 409: ['topic_not_open'] },
  })
  stance(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: StanceDto,
  ): Promise<TopicView> {
    return this.stances.setStance(user, id, dto);
  }
}
