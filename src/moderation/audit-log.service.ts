import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_LIMIT, type Page, type PageQuery, toPage } from '../core/http/pagination';
import { type AuthUser } from '../identity/auth/auth-user';
import { SpaceAccessService } from '../spaces/space-access.service';
import { type AuditEntryView } from './dto/moderation.dto';
import { decodeBigintCursor } from './keyset';
import { requireSpace } from './moderation-queries';

interface AuditRow {
  id: string;
  space_id: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string;
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
  reason: row.reason,
  before: row.before,
  after: row.after,
  createdAt: row.created_at.toISOString(),
});

/** Reads a space's append-only audit log (AuditService writes it). */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: SpaceAccessService,
  ) {}

  /** Newest first, by id (the order rows were written in). */
  async list(auth: AuthUser, spaceId: string, query: PageQuery): Promise<Page<AuditEntryView>> {
    const tx = this.dataSource.manager;
    await requireSpace(tx, spaceId);
    await this.access.requireFacilitator(auth, spaceId, tx);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const params: unknown[] = [spaceId, limit + 1];
    let after = '';
    if (query.cursor) {
      params.push(decodeBigintCursor(query.cursor));
      after = 'AND a.id < $3::bigint';
    }
    const rows: AuditRow[] = await tx.query(
      `SELECT a.id, a.space_id, a.actor_id, u.display_name AS actor_name, a.action,
              a.target_type, a.target_id, a.reason, a.before, a.after, a.created_at
         FROM audit_log a
         LEFT JOIN users u ON u.id = a.actor_id
        WHERE a.space_id = $1 ${after}
        ORDER BY a.id DESC
        LIMIT $2`,
      params,
    );
    return toPage(rows, limit, toAuditView, (row) => [row.id]);
  }
}
