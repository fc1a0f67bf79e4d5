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
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Idempotent } from '../core/http/idempotency/idempotency.interceptor';
import { PublicPageInterceptor } from '../core/http/public-page/public-page.interceptor';
import { type Page, PageQuery } from '../core/http/pagination';
import { UuidParam } from '../core/http/validation';
import { ApiDoc, pageOf } from '../core/openapi/api-doc';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser, OptionalUser, Public } from '../identity/auth/auth.decorators';
import { CommentSchema } from './comment.openapi';
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
  @ApiDoc({
    summary: 'Comment on a topic, or reply to a comment',
    status: 201,
    type: CommentSchema,
    problems: { 403: ['banned'], 404: ['not_found'], 409: ['topic_not_open'] },
  })
  create(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: CreateCommentDto,
  ): Promise<CommentView> {
    return this.comments.create(user, id, dto);
  }

  @Public()
  @Get('topics/:id/comments')
  @UseInterceptors(PublicPageInterceptor)
  @ApiDoc({
    summary: "A page of a topic's top-level comments",
    description: 'Each with its first `replies` direct replies and the `moreReplies` count.',
    status: 200,
    type: pageOf(CommentSchema, 'Comment'),
    problems: { 404: ['not_found'] },
  })
  list(
    @UuidParam('id') id: string,
    @Query() query: ListCommentsQuery,
    @OptionalUser() user?: AuthUser,
  ): Promise<Page<CommentView>> {
    return this.comments.list(id, query, user);
  }

  @Public()
  @Get('comments/:id')
  @ApiDoc({
    summary: 'Get a comment',
    status: 200,
    type: CommentSchema,
    problems: { 404: ['not_found'] },
  })
  get(@UuidParam('id') id: string, @OptionalUser() user?: AuthUser): Promise<CommentView> {
    return this.comments.getOne(id, user);
  }

  @Public()
  @Get('comments/:id/replies')
  @ApiDoc({
    summary: 'A page of the direct replies of a comment',
    status: 200,
    type: pageOf(CommentSchema, 'Comment'),
    problems: { 404: ['not_found'] },
  })
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
  @ApiDoc({
    summary: 'Every reply below a comment, at any depth',
    description: 'Oldest first, paged; for threads too deep to indent.',
    status: 200,
    type: pageOf(CommentSchema, 'Comment'),
    problems: { 404: ['not_found'] },
  })
  thread(
    @UuidParam('id') id: string,
    @Query() query: PageQuery,
    @OptionalUser() user?: AuthUser,
  ): Promise<Page<CommentView>> {
    return this.comments.thread(id, query, user);
  }

  @Patch('comments/:id')
  @ApiDoc({
    summary: 'Edit your comment',
    status: 200,
    type: CommentSchema,
    problems: {
      403: ['forbidden', 'banned'],
      404: ['not_found'],
      409: ['conflict'],
    },
  })
  edit(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: UpdateCommentDto,
  ): Promise<CommentView> {
    return this.comments.edit(user, id, dto);
  }

  @Delete('comments/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiDoc({
    summary: 'Delete your comment',
    description: 'Its place stays in the thread with `body: null`; the text is erased.',
    status: 204,
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  remove(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<void> {
    return this.comments.remove(user, id);
  }
}
