import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Page, PageQuery } from '../core/http/pagination';
import { UuidParam } from '../core/http/validation';
import { ApiDoc, pageOf } from '../core/openapi/api-doc';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser } from '../identity/auth/auth.decorators';
import { AuditLogService } from './audit-log.service';
import { BansService } from './bans.service';
import { AuditEntrySchema, BanSchema } from './moderation.openapi';
import { type AuditEntryView, BanDto, type BanView } from './dto/moderation.dto';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('spaces')
export class SpaceModerationController {
  constructor(
    private readonly bans: BansService,
    private readonly auditLog: AuditLogService,
  ) {}

  @Get(':id/bans')
  @ApiDoc({
    summary: 'Bans in force in a space',
    status: 200,
    type: pageOf(BanSchema, 'Ban'),
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  listBans(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: PageQuery,
  ): Promise<Page<BanView>> {
    return this.bans.list(user, id, query);
  }

  @Put(':id/bans/:userId')
  @ApiDoc({
    summary: 'Ban a user from a space',
    description:
      'Facilitators. Sets or replaces the ban; not oneself, another facilitator or an administrator. Audited.',
    status: 200,
    type: BanSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['conflict'] },
  })
  ban(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
    @Body() dto: BanDto,
  ): Promise<BanView> {
    return this.bans.ban(user, id, userId, dto);
  }

  @Delete(':id/bans/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiDoc({
    summary: 'Lift a ban',
    description: 'Facilitators. Audited.',
    status: 204,
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  unban(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
  ): Promise<void> {
    return this.bans.unban(user, id, userId);
  }

  @Get(':id/audit')
  @ApiDoc({
    summary: "A space's audit log",
    description: 'Facilitators: every moderation action, newest first.',
    status: 200,
    type: pageOf(AuditEntrySchema, 'AuditEntry'),
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  audit(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: PageQuery,
  ): Promise<Page<AuditEntryView>> {
    return this.auditLog.list(user, id, query);
  }
}
