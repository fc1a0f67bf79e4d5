import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type CommentView } from '../comments/comment.view';
import { CommentsService } from '../comments/comments.service';
import { type Page, PageQuery } from '../core/http/pagination';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser } from '../identity/auth/auth.decorators';
import { type TopicView } from '../topics/dto/topic.dto';
import { TopicsService } from '../topics/topics.service';

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
  myTopics(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<Page<TopicView>> {
    return this.topics.list(query, user, { authorId: user.id });
  }

  @Get('comments')
  myComments(
    @CurrentUser() user: AuthUser,
    @Query() query: PageQuery,
  ): Promise<Page<CommentView & { topic: { id: string; title: string } }>> {
    return this.comments.byAuthor(user, query);
  }

  @Get('agrees')
  myAgrees(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<Page<TopicView>> {
    return this.topics.list(query, user, { agreedBy: user.id });
  }
}
