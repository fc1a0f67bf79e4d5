import { Controller, Delete, HttpCode, HttpStatus, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../core/http/validation';
import { ApiDoc } from '../core/openapi/api-doc';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser } from '../identity/auth/auth.decorators';
import { AgreeResultSchema } from './agree.openapi';
import { type AgreeResult, AgreesService } from './agrees.service';

/** PUT agrees, DELETE withdraws; both are idempotent, so clients may simply retry. */
@ApiTags('agrees')
@ApiBearerAuth()
@Controller()
export class AgreesController {
  constructor(private readonly agrees: AgreesService) {}

  @Put('topics/:id/agree')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Agree with a topic',
    description:
      'Idempotent: agreeing twice leaves one agree. Agrees move the topic up its ladder.',
    status: 200,
    type: AgreeResultSchema,
    problems: { 403: ['banned'], 404: ['not_found'], 409: ['topic_not_open'] },
  })
  agreeTopic(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<AgreeResult> {
    return this.agrees.setTopicAgree(user, id, true);
  }

  @Delete('topics/:id/agree')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Withdraw an agree with a topic',
    description: 'Idempotent. A withdrawn agree never undoes a rung already crossed.',
    status: 200,
    type: AgreeResultSchema,
    problems: { 404: ['not_found'] },
  })
  withdrawTopic(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<AgreeResult> {
    return this.agrees.setTopicAgree(user, id, false);
  }

  @Put('comments/:id/agree')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Agree with a comment',
    description: 'Idempotent.',
    status: 200,
    type: AgreeResultSchema,
    problems: { 403: ['banned'], 404: ['not_found'], 409: ['conflict'] },
  })
  agreeComment(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<AgreeResult> {
    return this.agrees.setCommentAgree(user, id, true);
  }

  @Delete('comments/:id/agree')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Withdraw an agree with a comment',
    description: 'Idempotent.',
    status: 200,
    type: AgreeResultSchema,
    problems: { 404: ['not_found'] },
  })
  withdrawComment(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<AgreeResult> {
    return this.agrees.setCommentAgree(user, id, false);
  }
}
