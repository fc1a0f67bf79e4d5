import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Idempotent } from '../core/http/idempotency/idempotency.interceptor';
import { type Page, PageQuery } from '../core/http/pagination';
import { UuidParam } from '../core/http/validation';
import { ApiDoc, pageOf } from '../core/openapi/api-doc';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser } from '../identity/auth/auth.decorators';
import {
  BulkResolveDto,
  type BulkResolveResult,
  CreateReportDto,
  type ReportGroupView,
  ReportListQuery,
  type ReportQueueItem,
  type ReportView,
  ResolveReportDto,
} from './dto/moderation.dto';
import {
  BulkResolveResultSchema,
  ReportGroupSchema,
  ReportQueueItemSchema,
  ReportSchema,
} from './moderation.openapi';
import { ReportsService } from './reports.service';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post('comments/:id/reports')
  @Idempotent()
  @ApiDoc({
    summary: 'Report a comment',
    description:
      "One report per user per comment; at the space's `reportsToHide` the comment is hidden pending review.",
    status: 201,
    type: ReportSchema,
    problems: { 403: ['banned'], 404: ['not_found'], 409: ['already_reported', 'conflict'] },
  })
  report(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: CreateReportDto,
  ): Promise<ReportView> {
    return this.reports.report(user, id, dto);
  }

  @Get('spaces/:id/reports')
  @ApiDoc({
    summary: "A space's report queue",
    description: 'Facilitators: open (default) or resolved reports, each with its comment.',
    status: 200,
    type: pageOf(ReportQueueItemSchema, 'ReportQueueItem'),
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  list(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: ReportListQuery,
  ): Promise<Page<ReportQueueItem>> {
    return this.reports.list(user, id, query);
  }

  @Get('spaces/:id/report-groups')
  @ApiDoc({
    summary: "A space's open reports, grouped by comment",
    description:
      'Facilitators: one line per reported comment, the longest-waiting first, with the comment, ' +
      'the count, the reasons and what reporters wrote.',
    status: 200,
    type: pageOf(ReportGroupSchema, 'ReportGroup'),
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  groups(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: PageQuery,
  ): Promise<Page<ReportGroupView>> {
    return this.reports.groups(user, id, query);
  }

  @Post('spaces/:id/reports/resolve')
  @HttpCode(HttpStatus.OK)
  @Idempotent()
  @ApiDoc({
    summary: 'Resolve many reports at once',
    description:
      'Facilitators: `hide` or `dismiss` up to 500 reports of the space in one transaction; each ' +
      "report's comment is resolved whole (all its open reports). Unknown or already resolved " +
      'reports come back in `skipped` with the reason. One audit row per comment.',
    status: 200,
    type: BulkResolveResultSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  resolveMany(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: BulkResolveDto,
  ): Promise<BulkResolveResult> {
    return this.reports.resolveMany(user, id, dto.reportIds, dto.action);
  }

  @Post('reports/:id/resolve')
  @HttpCode(HttpStatus.OK)
  @Idempotent()
  @ApiDoc({
    summary: 'Resolve a report: hide its comment, or dismiss it',
    status: 200,
    type: ReportQueueItemSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['conflict'] },
  })
  resolve(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: ResolveReportDto,
  ): Promise<ReportQueueItem> {
    return this.reports.resolve(user, id, dto.action);
  }
}
