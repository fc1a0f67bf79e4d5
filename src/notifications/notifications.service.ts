import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { DEFAULT_LIMIT, decodeKeyset, type Page, toPage } from '../core/http/pagination';
import { Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import {
  type EmailCadence,
  NOTIFICATION_SWITCHES,
  type NotificationSwitch,
  type NotificationView,
} from '../protocol/views';
import {
  type ListNotificationsQuery,
  type MarkReadDto,
  type NotificationSettingsDto,
} from './dto/notification.dto';
import { NOTIFICATION_COLUMNS, type NotificationRow } from './notification-sql';
import { toNotificationView } from './notifier';

export interface NotificationSettings {
  email: EmailCadence;
  types: Record<NotificationSwitch, boolean>;
  followOnComment: boolean;
}

export interface FollowResult {
  targetType: 'topic';
  targetId: string;
  following: boolean;
}

/** API.md's defaults: a daily digest, every kind on, commenting follows the topic. */
const DEFAULT_EMAIL: EmailCadence = 'daily';

/** A person's inbox, their settings and what they follow. Only ever their own. */
@Injectable()
export class NotificationsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(auth: AuthUser, query: ListNotificationsQuery): Promise<Page<NotificationView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = query.cursor ? decodeKeyset(query.cursor, ['time', 'uuid']) : null;
    const rows = await queryRows<NotificationRow & { created_key: string }>(
      this.dataSource.manager,
      `SELECT ${NOTIFICATION_COLUMNS}, created_at::text AS created_key FROM notifications
        WHERE user_id = $1 AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [auth.id, query.unread === 'true', after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return toPage(rows, limit, toNotificationView, (r) => [r.created_key, r.id]);
  }

  async unread(auth: AuthUser): Promise<{ unread: number }> {
    const rows = await queryRows<{ unread: number }>(
      this.dataSource.manager,
      `SELECT count(*)::int AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL`,
      [auth.id],
    );
    return { unread: rows[0]?.unread ?? 0 };
  }

  /** Marks read (ids of someone else's are simply not theirs to mark: nothing happens). */
  async markRead(auth: AuthUser, dto: MarkReadDto): Promise<{ unread: number }> {
    if ((dto.ids === undefined) === (dto.all === undefined)) throw Problem.field('ids', 'invalid');
    await this.dataSource.query(
      `UPDATE notifications SET read_at = now()
        WHERE user_id = $1 AND read_at IS NULL AND ($2::boolean OR id = ANY($3::uuid[]))`,
      [auth.id, dto.all === true, dto.ids ?? []],
    );
    return this.unread(auth);
  }

  async settings(auth: AuthUser): Promise<NotificationSettings> {
    const rows = await queryRows<{
      email: EmailCadence;
      types: Partial<Record<NotificationSwitch, boolean>>;
      follow_on_comment: boolean;
    }>(
      this.dataSource.manager,
      `SELECT email, types, follow_on_comment FROM notification_settings WHERE user_id = $1`,
      [auth.id],
    );
    const row = rows[0];
    const types = Object.fromEntries(
      NOTIFICATION_SWITCHES.map((s) => [s, row?.types[s] ?? true]),
    ) as Record<NotificationSwitch, boolean>;
    return {
      email: row?.email ?? DEFAULT_EMAIL,
      types,
      followOnComment: row?.follow_on_comment ?? true,
    };
  }

  /** Merges the given settings into the stored ones in one statement (concurrent PUTs merge). */
  async updateSettings(
    auth: AuthUser,
    dto: NotificationSettingsDto,
  ): Promise<NotificationSettings> {
    const types = Object.fromEntries(
      NOTIFICATION_SWITCHES.filter((s) => dto.types?.[s] !== undefined).map((s) => [
        s,
        dto.types![s],
      ]),
    );
    await this.dataSource.query(
      `INSERT INTO notification_settings (user_id, email, types, follow_on_comment)
       VALUES ($1, COALESCE($2, $5), $3::jsonb, COALESCE($4, true))
       ON CONFLICT (user_id) DO UPDATE
         SET email = COALESCE($2, notification_settings.email),
             types = notification_settings.types || $3::jsonb,
             follow_on_comment = COALESCE($4, notification_settings.follow_on_comment),
             updated_at = now()`,
      [
        auth.id,
        dto.email ?? null,
        JSON.stringify(types),
        dto.followOnComment ?? null,
        DEFAULT_EMAIL,
      ],
    );
    return this.settings(auth);
  }

  /** Follows or unfollows a topic; idempotent. An unknown topic is 404 either way. */
  async setFollow(auth: AuthUser, topicId: string, following: boolean): Promise<FollowResult> {
    const found = await queryRows<unknown>(
      this.dataSource.manager,
      `SELECT 1 FROM topics WHERE id = $1`,
      [topicId],
    );
    if (found.length === 0) throw Problem.notFound('Topic');
    if (following)
      await this.dataSource.query(
        `INSERT INTO follows (user_id, target_type, target_id) VALUES ($1, 'topic', $2)
         ON CONFLICT DO NOTHING`,
        [auth.id, topicId],
      );
    else
      await this.dataSource.query(
        `DELETE FROM follows WHERE user_id = $1 AND target_type = 'topic' AND target_id = $2`,
        [auth.id, topicId],
      );
    return { targetType: 'topic', targetId: topicId, following };
  }

  async isFollowing(auth: AuthUser, topicId: string): Promise<FollowResult> {
    const rows = await queryRows<unknown>(
      this.dataSource.manager,
      `SELECT 1 FROM follows WHERE user_id = $1 AND target_type = 'topic' AND target_id = $2`,
      [auth.id, topicId],
    );
    return { targetType: 'topic', targetId: topicId, following: rows.length > 0 };
  }
}
