import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { type Response } from 'express';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Page, PageQuery } from '../core/http/pagination';
import { UuidParam } from '../core/http/validation';
import { ApiDoc, pageOf } from '../core/openapi/api-doc';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser } from '../identity/auth/auth.decorators';
import { AuditLogService } from './audit-log.service';
import { BansService } from './bans.service';
import { AuditEntrySchema, BanSchema, SpacePersonSchema } from './moderation.openapi';
import {
  AdminAuditQuery,
  type AuditEntryView,
  AuditQuery,
  BanDto,
  type BanView,
  PeoplePageQuery,
  PeopleQuery,
  type PersonView,
} from './dto/moderation.dto';
import { SpacePeopleService } from './space-people.service';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('spaces')
export class SpaceModerationController {
  constructor(
    private readonly bans: BansService,
    private readonly auditLog: AuditLogService,
    private readonly people: SpacePeopleService,
  ) {}

  @Get(':id/people')
  @ApiDoc({
    summary: 'Search the people of a space',
    description:
      'Facilitators: who proposed, commented or took part in a room of the space, by part of ' +
      'the display name (`q`), closest names first; emails only for administrators.',
    status: 200,
    type: [SpacePersonSchema],
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  searchPeople(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: PeopleQuery,
  ): Promise<PersonView[]> {
    return this.people.search(user, id, query);
  }

  @Get(':id/people/paged')
  @ApiDoc({
    summary: 'Page through the people of a space',
    description:
      'Facilitators: the search of `GET /spaces/{id}/people`, in the same order, every match a ' +
      'page at a time (`limit` 1–50, default 20; `cursor`).',
    status: 200,
    type: pageOf(SpacePersonSchema, 'SpacePerson'),
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  pagePeople(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: PeoplePageQuery,
  ): Promise<Page<PersonView>> {
    return this.people.page(user, id, query);
  }

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
      'Facilitators. Sets or replaces the ban; not oneself, another facilitator or an administrator. ' +
      'With `commentId` (a comment of the user in this space), the ban answers that reported ' +
      'comment and the audit row names it. Audited.',
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
  @ApiProduces('application/json', 'text/csv')
  @ApiDoc({
    summary: "A space's audit log",
    description:
      'Facilitators: every moderation and facilitation action, newest first, filtered by actor, ' +
      'action, target and time (all optional, together).',
    status: 200,
    type: pageOf(AuditEntrySchema, 'AuditEntry'),
    alternative: {
      mediaType: 'text/csv',
      description: 'With `format=csv`, every matching row (up to 50,000) as one CSV file.',
    },
    problems: { 403: ['forbidden'], 404: ['not_found'] },
  })
  async audit(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: AuditQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Page<AuditEntryView> | string> {
    if (query.format !== 'csv') return this.auditLog.list(user, id, query);
    const csv = await this.auditLog.csv(user, id, query);
    sendCsv(res, `audit-${id}.csv`);
    return csv;
  }
}

/** The site-wide audit log, for administrators. */
@ApiTags('moderation')
@ApiBearerAuth()
@Controller('audit')
export class AdminAuditController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Get()
  @ApiProduces('application/json', 'text/csv')
  @ApiDoc({
    summary: 'The audit log of every space',
    description: "Administrators only; the filters of a space's log, and `spaceId`.",
    status: 200,
    type: pageOf(AuditEntrySchema, 'AuditEntry'),
    alternative: {
      mediaType: 'text/csv',
      description: 'With `format=csv`, every matching row (up to 50,000) as one CSV file.',
    },
    problems: { 403: ['forbidden'] },
  })
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: AdminAuditQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Page<AuditEntryView> | string> {
    if (query.format !== 'csv') return this.auditLog.listAll(user, query);
    const csv = await this.auditLog.csvAll(user, query);
    sendCsv(res, 'audit.csv');
    return csv;
  }
}

const sendCsv = (res: Response, name: string): void => {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
};
