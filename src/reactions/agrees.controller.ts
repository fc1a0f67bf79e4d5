import { Controller, Delete, HttpCode, HttpStatus, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../core/http/validation';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser } from '../identity/auth/auth.decorators';
import { type AgreeResult, AgreesService } from './agrees.service';

/** PUT agrees, DELETE withdraws; both are idempotent, so clients may simply retry. */
@ApiTags('agrees')
@ApiBearerAuth()
@Controller()
export class AgreesController {
  constructor(private readonly agrees: AgreesService) {}

  @Put('topics/:id/agree')
  @HttpCode(HttpStatus.OK)
  agreeTopic(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<AgreeResult> {
    return this.agrees.setTopicAgree(user, id, true);
  }

  @Delete('topics/:id/agree')
  @HttpCode(HttpStatus.OK)
  withdrawTopic(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<AgreeResult> {
    return this.agrees.setTopicAgree(user, id, false);
  }

  @Put('comments/:id/agree')
  @HttpCode(HttpStatus.OK)
  agreeComment(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<AgreeResult> {
    return this.agrees.setCommentAgree(user, id, true);
  }

  @Delete('comments/:id/agree')
  @HttpCode(HttpStatus.OK)
  withdrawComment(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<AgreeResult> {
    return this.agrees.setCommentAgree(user, id, false);
  }
}
