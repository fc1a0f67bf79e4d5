import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_LIMIT, type Page, toPage } from '../core/http/pagination';
import { Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { csvHeader, csvRecord } from '../open-data/csv';
import { type Column } from '../open-data/datasets';
import { SpaceAccessService } from '../spaces/space-access.service';
import { type AdminAuditQuery, type AuditEntryView, type AuditQuery } from './dto/moderation.dto';
import { parseDateTime } from './dto/moderation-validators';
import { decodeBigintCursor } from './keyset';
import { requireSpace } from './moderation-queries';

interface AuditRow {
  id: string;
  space_id: string | null;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string;
  target_name: string | null;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  created_at: Date;
}

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
    private readonly dataSource: DataSource,
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
    const tx = this.dataSource.manager;
    await requireSpace(tx, spaceId);
    await this.access.requireFacilitator(auth, spaceId, tx);
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
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (query.spaceId) add((p) => `a.space_id = ${p}`, query.spaceId);
    if (query.actorId) add((p) => `a.actor_id = ${p}`, query.actorId);
    if (query.action) add((p) => `a.action = ${p}`, query.action);
    if (query.targetType) add((p) => `a.target_type = ${p}`, query.targetType);
    if (query.targetId) add((p) => `a.target_id = ${p}`, query.targetId);
    const from = query.from ? parseDateTime(query.from) : null;
    const to = query.to ? parseDateTime(query.to) : null;
    if (from && to && to < from) throw Problem.field('to', 'time_range');
    if (from) add((p) => `a.created_at >= ${p}`, from);
    if (to) add((p) => `a.created_at < ${p}`, to);
    if (cursor) add((p) => `a.id < ${p}::bigint`, decodeBigintCursor(cursor));
    params.push(limit);
    return this.dataSource.query(
      `SELECT a.id, a.space_id, a.actor_id, u.display_name AS actor_name, a.action,
              a.target_type, a.target_id, tu.display_name AS target_name, a.reason, a.before,
              a.after, a.created_at
         FROM audit_log a
         LEFT JOIN users u ON u.id = a.actor_id
         LEFT JOIN users tu ON a.target_type = 'user' AND tu.id = a.target_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.id DESC
        LIMIT $${params.length}`,
      params,
    );
  }
}
