import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';
import { type AuditEntry } from './audit-entry.entity';
import { decodeBigintCursor } from './keyset';

export type AuditRecord = Pick<
  AuditEntry,
  'spaceId' | 'actorId' | 'action' | 'targetType' | 'targetId'
> &
  Partial<Pick<AuditEntry, 'reason' | 'before' | 'after'>>;

/** An audit row with the names of its actor and (for a user) its target. */
export interface AuditRow {
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

/** Which rows of the log to read; every field optional, all of them together. */
export interface AuditFilter {
  spaceId?: string;
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from: Date | null;
  to: Date | null;
}

/**
 * Every statement on `audit_log`: the append-only insert (always in the transaction of the
 * action it records; a trigger refuses UPDATE and DELETE) and the filtered reads, newest first.
 */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Queryable, entry: AuditRecord): Promise<void> {
    await tx.query(
      `INSERT INTO audit_log (space_id, actor_id, action, target_type, target_id, reason, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)`,
      [
        entry.spaceId,
        entry.actorId,
        entry.action,
        entry.targetType,
        entry.targetId,
        entry.reason ?? null,
        entry.before ? JSON.stringify(entry.before) : null,
        entry.after ? JSON.stringify(entry.after) : null,
      ],
    );
  }

  /** Up to `limit` matching rows by id, newest first, before the cursor's row. */
  async select(filter: AuditFilter, limit: number, cursor?: string): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.spaceId) add((p) => `a.space_id = ${p}`, filter.spaceId);
    if (filter.actorId) add((p) => `a.actor_id = ${p}`, filter.actorId);
    if (filter.action) add((p) => `a.action = ${p}`, filter.action);
    if (filter.targetType) add((p) => `a.target_type = ${p}`, filter.targetType);
    if (filter.targetId) add((p) => `a.target_id = ${p}`, filter.targetId);
    if (filter.from) add((p) => `a.created_at >= ${p}`, filter.from);
    if (filter.to) add((p) => `a.created_at < ${p}`, filter.to);
    if (cursor) add((p) => `a.id < ${p}::bigint`, decodeBigintCursor(cursor));
    params.push(limit);
    return queryRows<AuditRow>(
      this.dataSource.manager,
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
