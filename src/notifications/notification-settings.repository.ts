import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { type Lang } from '../core/http/i18n/lang';
import { type EmailCadence, type NotificationSwitch } from '../protocol/views';

export interface SettingsRow {
  email: EmailCadence;
  types: Partial<Record<NotificationSwitch, boolean>>;
  follow_on_comment: boolean;
  language: Lang;
}

/** Every statement on `notification_settings`; a person without a row has the defaults. */
@Injectable()
export class NotificationSettingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async get(userId: string): Promise<SettingsRow | undefined> {
    const rows = await queryRows<SettingsRow>(
      this.dataSource.manager,
      `SELECT email, types, follow_on_comment, language FROM notification_settings WHERE user_id = $1`,
      [userId],
    );
    return rows[0];
  }

  /** Merges what is given into what is stored, in one statement (concurrent changes merge). */
  async merge(
    userId: string,
    change: {
      email: EmailCadence | null;
      types: Partial<Record<NotificationSwitch, boolean>>;
      followOnComment: boolean | null;
      language: Lang | null;
    },
    defaultEmail: EmailCadence,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO notification_settings (user_id, email, types, follow_on_comment, language)
       VALUES ($1, COALESCE($2, $5), $3::jsonb, COALESCE($4, true), COALESCE($6, 'ko'))
       ON CONFLICT (user_id) DO UPDATE
         SET email = COALESCE($2, notification_settings.email),
             types = notification_settings.types || $3::jsonb,
             follow_on_comment = COALESCE($4, notification_settings.follow_on_comment),
             language = COALESCE($6, notification_settings.language),
             updated_at = now()`,
      [
        userId,
        change.email,
        JSON.stringify(change.types),
        change.followOnComment,
        defaultEmail,
        change.language,
      ],
    );
  }
}
