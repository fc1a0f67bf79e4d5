import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Page, PageQuery } from '../core/http/pagination';
import { UuidParam } from '../core/http/validation';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser } from '../identity/auth/auth.decorators';
import { AuditLogService } from './audit-log.service';
import { BansService } from './bans.service';
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
  listBans(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: PageQuery,
  ): Promise<Page<BanView>> {
    return this.bans.list(user, id, query);
  }

  /** Sets or replaces a ban (idempotent). */
  @Put(':id/bans/:userId')
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
  unban(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
  ): Promise<void> {
    return this.bans.unban(user, id, userId);
  }

  @Get(':id/audit')
  audit(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: PageQuery,
  ): Promise<Page<AuditEntryView>> {
    return this.auditLog.list(user, id, query);
  }
}
