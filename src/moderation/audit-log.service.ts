import { Injectable } from '@nestjs/common';
import { DEFAULT_LIMIT, type Page, toPage } from '../core/http/pagination';
import { Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { csvHeader, csvRecord } from '../open-data/csv';
import { type Column } from '../open-data/datasets';
import { SpaceAccessService } from '../spaces/space-access.service';
import { type AdminAuditQuery, type AuditEntryView, type AuditQuery } from './dto/moderation.dto';
import { parseDateTime } from './dto/moderation-validators';
import { type AuditRow, AuditRepository } from './audit.repository';

const toAuditView = (row: AuditRow): AuditEntryView => ({
  id: row.id,
  spaceId: row.space_id,
  actor: row.actor_id ? { id: row.actor_id, displayName: row.actor_name ?? '' } : null,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  targetName: row.target_name,
  reason: row.reason,
  before: row.before,
  after: row.after,
  createdAt: row.created_at.toISOString(),
});

/** The most rows one CSV export holds: a year of a busy committee, and a bounded answer. */
export const AUDIT_CSV_MAX = 50_000;

const col = (name: string, type: Column['type'], description: string): Column => ({
  name,
  type,
  nullable: true,
  description,
});

/** The CSV columns; `before` and `after` as JSON text. */
const CSV_COLUMNS: readonly Column[] = [
  col('id', 'integer', 'row number'),
  col('created_at', 'timestamp', 'when'),
  col('space_id', 'uuid', 'space; empty for a site-wide action'),
  col('actor_id', 'uuid', 'who acted; empty for the system'),
  col('actor_name', 'text', "the actor's display name"),
  col('action', 'text', 'what was done'),
  col('target_type', 'text', 'kind of target'),
  col('target_id', 'uuid', 'target'),
  col('reason', 'text', 'reason given'),
  col('before', 'text', 'state before, as JSON'),
  col('after', 'text', 'state after, as JSON'),
];

/** Reads the append-only audit log (AuditService writes it). */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly auditLog: AuditRepository,
    private readonly access: SpaceAccessService,
  ) {}

  /** A space's log for its facilitators, newest first, by id (the order rows were written in). */
  async list(auth: AuthUser, spaceId: string, query: AuditQuery): Promise<Page<AuditEntryView>> {
    await this.requireSpaceFacilitator(auth, spaceId);
    return this.page({ ...query, spaceId });
  }

  /** The whole site's log, for administrators (optionally one space). */
  async listAll(auth: AuthUser, query: AdminAuditQuery): Promise<Page<AuditEntryView>> {
    this.access.requireAdmin(auth);
    return this.page(query);
  }

  async csv(auth: AuthUser, spaceId: string, query: AuditQuery): Promise<string> {
    await this.requireSpaceFacilitator(auth, spaceId);
    return this.toCsv({ ...query, spaceId });
  }

  async csvAll(auth: AuthUser, query: AdminAuditQuery): Promise<string> {
    this.access.requireAdmin(auth);
    return this.toCsv(query);
  }

  private async requireSpaceFacilitator(auth: AuthUser, spaceId: string): Promise<void> {
    await this.access.requireSpace(spaceId);
    await this.access.requireFacilitator(auth, spaceId);
  }

  private async page(query: AdminAuditQuery): Promise<Page<AuditEntryView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.select(query, limit + 1, query.cursor);
    return toPage(rows, limit, toAuditView, (row) => [row.id]);
  }

  private async toCsv(query: AdminAuditQuery): Promise<string> {
    const rows = await this.select(query, AUDIT_CSV_MAX);
    let out = csvHeader(CSV_COLUMNS);
    for (const row of rows) {
      out += csvRecord(CSV_COLUMNS, {
        ...row,
        id: Number(row.id),
        before: row.before ? JSON.stringify(row.before) : null,
        after: row.after ? JSON.stringify(row.after) : null,
      });
    }
    return out;
  }

  private select(query: AdminAuditQuery, limit: number, cursor?: string): Promise<AuditRow[]> {
    const from = query.from ? parseDateTime(query.from) : null;
    const to = query.to ? parseDateTime(query.to) : null;
    if (from && to && to < from) throw Problem.field('to', 'time_range');
    const { spaceId, actorId, action, targetType, targetId } = query;
    return this.auditLog.select(
      { spaceId, actorId, action, targetType, targetId, from, to },
      limit,
      cursor,
    );
  }
}
