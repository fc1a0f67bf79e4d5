import { type EntityManager } from 'typeorm';
import { Problem } from '../core/http/problem';

/** 404 unless the space exists; checked before permissions, as the spaces routes do. */
export async function requireSpace(tx: EntityManager, spaceId: string): Promise<void> {
  const rows: unknown[] = await tx.query(`SELECT 1 FROM spaces WHERE id = $1`, [spaceId]);
  if (rows.length === 0) throw Problem.notFound('Space');
}
