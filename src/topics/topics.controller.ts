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
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser, OptionalUser, Public } from '../identity/auth/auth.decorators';
import {
  CreateTopicDto,
  ListTopicsQuery,
  ResponseDto,
  StanceDto,
  type TimelineEntry,
  TimelineQuery,
  type TopicView,
  TransitionDto,
  UpdateTopicDto,
} from './dto/topic.dto';
import { TopicsService } from './topics.service';

@ApiTags('topics')
@ApiBearerAuth()
@Controller()
export class TopicsController {
  constructor(private readonly topics: TopicsService) {}

  @Post('spaces/:spaceId/topics')
  @Idempotent()
  create(
    @CurrentUser() user: AuthUser,
    @UuidParam('spaceId') spaceId: string,
    @Body() dto: CreateTopicDto,
  ): Promise<TopicView> {
    return this.topics.create(user, spaceId, dto);
  }

  @Public()
  @Get('topics')
  list(@Query() query: ListTopicsQuery, @OptionalUser() user?: AuthUser): Promise<Page<TopicView>> {
    return this.topics.list(query, user);
  }

  @Public()
  @Get('topics/:id')
  get(@UuidParam('id') id: string, @OptionalUser() user?: AuthUser): Promise<TopicView> {
    return this.topics.get(id, user);
  }

  @Patch('topics/:id')
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: UpdateTopicDto,
  ): Promise<TopicView> {
    return this.topics.update(user, id, dto);
  }

  @Post('topics/:id/transitions')
  @HttpCode(HttpStatus.OK)
  transition(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: TransitionDto,
  ): Promise<TopicView> {
    return this.topics.transition(user, id, dto);
  }

  @Public()
  @Get('topics/:id/timeline')
  timeline(
    @UuidParam('id') id: string,
    @Query() query: TimelineQuery,
    @ReaderLang() lang: Lang,
  ): Promise<Page<TimelineEntry>> {
    return this.topics.timeline(id, query, lang);
  }

  @Post('topics/:id/response')
  @HttpCode(HttpStatus.OK)
  respond(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: ResponseDto,
  ): Promise<TopicView> {
    return this.topics.respond(user, id, dto);
  }

  @Put('topics/:id/stance')
  stance(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: StanceDto,
  ): Promise<TopicView> {
    return this.topics.setStance(user, id, dto);
  }
}
