import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Idempotent } from '../core/http/idempotency/idempotency.interceptor';
import { type Page, PageQuery } from '../core/http/pagination';
import { UuidParam } from '../core/http/validation';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser, OptionalUser, Public } from '../identity/auth/auth.decorators';
import { type CommentView } from './comment.view';
import { CommentsService } from './comments.service';
import {
  CreateCommentDto,
  ListCommentsQuery,
  ListRepliesQuery,
  UpdateCommentDto,
} from './dto/comment.dto';

@ApiTags('comments')
@ApiBearerAuth()
@Controller()
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Post('topics/:id/comments')
  @Idempotent()
  create(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: CreateCommentDto,
  ): Promise<CommentView> {
    return this.comments.create(user, id, dto);
  }

  @Public()
  @Get('topics/:id/comments')
  list(
    @UuidParam('id') id: string,
    @Query() query: ListCommentsQuery,
    @OptionalUser() user?: AuthUser,
  ): Promise<Page<CommentView>> {
    return this.comments.list(id, query, user);
  }

  @Public()
  @Get('comments/:id')
  get(@UuidParam('id') id: string, @OptionalUser() user?: AuthUser): Promise<CommentView> {
    return this.comments.getOne(id, user);
  }

  @Public()
  @Get('comments/:id/replies')
  replies(
    @UuidParam('id') id: string,
    @Query() query: ListRepliesQuery,
    @OptionalUser() user?: AuthUser,
  ): Promise<Page<CommentView>> {
    return this.comments.replies(id, query, user);
  }

  /** Every reply below a comment at any depth, oldest first (for threads too deep to indent). */
  @Public()
  @Get('comments/:id/thread')
  thread(
    @UuidParam('id') id: string,
    @Query() query: PageQuery,
    @OptionalUser() user?: AuthUser,
  ): Promise<Page<CommentView>> {
    return this.comments.thread(id, query, user);
  }

  @Patch('comments/:id')
  edit(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: UpdateCommentDto,
  ): Promise<CommentView> {
    return this.comments.edit(user, id, dto);
  }

  @Delete('comments/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<void> {
    return this.comments.remove(user, id);
  }
}
