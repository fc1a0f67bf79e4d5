import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type AuditRecord, AuditRepository } from './audit.repository';

export { type AuditRecord };

/** Writes audit rows; always inside the transaction of the action they record. */
@Injectable()
export class AuditService {
  constructor(private readonly auditLog: AuditRepository) {}

  async record(tx: EntityManager, entry: AuditRecord): Promise<void> {
    await this.auditLog.insert(tx, entry);
  }
}
