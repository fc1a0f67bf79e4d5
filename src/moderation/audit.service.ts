import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type AuditEntry } from './audit-entry.entity';

export type AuditRecord = Pick<
  AuditEntry,
  'spaceId' | 'actorId' | 'action' | 'targetType' | 'targetId'
> &
  Partial<Pick<AuditEntry, 'reason' | 'before' | 'after'>>;

/** Writes audit rows; always inside the transaction of the action they record. */
@Injectable()
export class AuditService {
  async record(tx: EntityManager, entry: AuditRecord): Promise<void> {
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
}
