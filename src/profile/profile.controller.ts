import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type CommentView } from '../comments/comment.view';
import { CommentsService } from '../comments/comments.service';
import { type Page, PageQuery } from '../core/http/pagination';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser } from '../identity/auth/auth.decorators';
import { type TopicView } from '../topics/dto/topic.dto';
import { TopicsService } from '../topics/topics.service';
import { ApiDoc, pageOf } from '../core/openapi/api-doc';
import { TopicSchema } from '../topics/topic.openapi';
import { MyCommentSchema } from './profile.openapi';

/** A person's own page (`/me`): what they proposed, wrote and agree with. Only theirs. */
@ApiTags('identity')
@ApiBearerAuth()
@Controller('me')
export class ProfileController {
  constructor(
    private readonly topics: TopicsService,
    private readonly comments: CommentsService,
  ) {}

  @Get('topics')
  @ApiDoc({ summary: 'The topics you proposed', status: 200, type: pageOf(TopicSchema, 'Topic') })
  myTopics(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<Page<TopicView>> {
    return this.topics.list(query, user, { authorId: user.id });
  }

  @Get('comments')
  @ApiDoc({
    summary: 'The comments you wrote, with their topic',
    status: 200,
    type: pageOf(MyCommentSchema, 'MyComment'),
  })
  myComments(
    @CurrentUser() user: AuthUser,
    @Query() query: PageQuery,
  ): Promise<Page<CommentView & { topic: { id: string; title: string } }>> {
    return this.comments.byAuthor(user, query);
  }

  @Get('agrees')
  @ApiDoc({
    summary: 'The topics you agree with',
    status: 200,
    type: pageOf(TopicSchema, 'Topic'),
  })
  myAgrees(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<Page<TopicView>> {
    return this.topics.list(query, user, { agreedBy: user.id });
  }
}
