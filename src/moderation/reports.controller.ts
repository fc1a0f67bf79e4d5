import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Idempotent } from '../core/http/idempotency/idempotency.interceptor';
import { type Page } from '../core/http/pagination';
import { UuidParam } from '../core/http/validation';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser } from '../identity/auth/auth.decorators';
import {
  CreateReportDto,
  ReportListQuery,
  type ReportQueueItem,
  type ReportView,
  ResolveReportDto,
} from './dto/moderation.dto';
import { ReportsService } from './reports.service';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** A citizen reports a comment; one report per user per comment. */
  @Post('comments/:id/reports')
  @Idempotent()
  report(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: CreateReportDto,
  ): Promise<ReportView> {
    return this.reports.report(user, id, dto);
  }

  @Get('spaces/:id/reports')
  list(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: ReportListQuery,
  ): Promise<Page<ReportQueueItem>> {
    return this.reports.list(user, id, query);
  }

  @Post('reports/:id/resolve')
  @HttpCode(HttpStatus.OK)
  @Idempotent()
  resolve(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: ResolveReportDto,
  ): Promise<ReportQueueItem> {
    return this.reports.resolve(user, id, dto.action);
  }
}
