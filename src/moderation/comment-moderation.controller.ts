import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommentSchema } from '../comments/comment.openapi';
import { type CommentView } from '../comments/comment.view';
import { Idempotent } from '../core/http/idempotency/idempotency.interceptor';
import { UuidParam } from '../core/http/validation';
import { ApiDoc } from '../core/openapi/api-doc';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser } from '../identity/auth/auth.decorators';
import { CommentModerationService } from './comment-moderation.service';
import { ModerationReasonDto } from './dto/moderation.dto';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('comments')
export class CommentModerationController {
  constructor(private readonly moderation: CommentModerationService) {}

  @Post(':id/hide')
  @HttpCode(HttpStatus.OK)
  @Idempotent()
  @ApiDoc({
    summary: 'Hide a comment',
    description:
      'Facilitators of its space; the public sees a placeholder with the reason. Audited.',
    status: 200,
    type: CommentSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['conflict'] },
  })
  hide(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: ModerationReasonDto,
  ): Promise<CommentView> {
    return this.moderation.hide(user, id, dto.reason);
  }

  @Post(':id/restore')
  @HttpCode(HttpStatus.OK)
  @Idempotent()
  @ApiDoc({
    summary: 'Restore a hidden comment',
    description: 'Facilitators of its space. Audited.',
    status: 200,
    type: CommentSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['conflict'] },
  })
  restore(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: ModerationReasonDto,
  ): Promise<CommentView> {
    return this.moderation.restore(user, id, dto.reason);
  }
}
