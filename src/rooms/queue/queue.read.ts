import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type QueueState } from './queue.view';

/**
 * The speaking queue as everyone sees it. Order: people who have not spoken in this room yet
 * come first (PRODUCT: "first-time speakers may go first"), then by when they raised their hand.
 */
@Injectable()
export class QueueReader {
  constructor(private readonly dataSource: DataSource) {}

  async state(roomId: string, tx: EntityManager = this.dataSource.manager): Promise<QueueState> {
    const speakers: {
      speaker_id: string | null;
      speaker_until: Date | null;
      display_name: string | null;
    }[] = await tx.query(
      `SELECT r.speaker_id, r.speaker_until, u.display_name FROM rooms r LEFT JOIN users u ON u.id = r.speaker_id WHERE r.id = $1`,
      [roomId],
    );
    const current = speakers[0];
    const waiting: {
      user_id: string;
      display_name: string;
      raised_at: Date;
      first_time: boolean;
    }[] = await tx.query(
      `SELECT h.user_id, u.display_name, h.raised_at,
              NOT EXISTS (SELECT 1 FROM room_speeches s WHERE s.room_id = h.room_id AND s.user_id = h.user_id) AS first_time
         FROM room_hands h JOIN users u ON u.id = h.user_id
        WHERE h.room_id = $1
        ORDER BY first_time DESC, h.raised_at ASC, h.user_id ASC`,
      [roomId],
    );
    return {
      speaker:
        current?.speaker_id && current.speaker_until
          ? {
              userId: current.speaker_id,
              displayName: current.display_name ?? '',
              until: current.speaker_until.toISOString(),
            }
          : null,
      waiting: waiting.map((w) => ({
        userId: w.user_id,
        displayName: w.display_name,
        raisedAt: w.raised_at.toISOString(),
        firstTime: w.first_time,
      })),
    };
  }
}
