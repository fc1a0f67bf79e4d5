import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_LIMIT, decodeKeyset, type Page, toPage } from '../core/http/pagination';
import { DEFAULT_LANG, type Lang } from '../core/http/i18n/lang';
import { Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import {
  type EmailCadence,
  NOTIFICATION_SWITCHES,
  type NotificationSwitch,
  type NotificationView,
} from '../protocol/views';
import { TopicsRepository } from '../topics/topics.repository';
import {
  type ListNotificationsQuery,
  type MarkReadDto,
  type NotificationSettingsDto,
} from './dto/notification.dto';
import { BudgetsService } from '../budgets/budgets.service';
import { type FollowTarget, FollowsRepository } from './follows.repository';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { NotificationsRepository } from './notifications.repository';
import { toNotificationView } from './notifier';

export interface NotificationSettings {
  email: EmailCadence;
  types: Record<NotificationSwitch, boolean>;
  followOnComment: boolean;
  /** The language email is written in. */
  language: Lang;
}

export interface FollowResult {
  targetType: FollowTarget;
  targetId: string;
  following: boolean;
}

/** API.md's defaults: a daily digest, every kind on, commenting follows the topic. */
const DEFAULT_EMAIL: EmailCadence = 'daily';

/** A person's inbox, their settings and what they follow. Only ever their own. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationsRepository,
    private readonly settingsRows: NotificationSettingsRepository,
    private readonly follows: FollowsRepository,
    private readonly topics: TopicsRepository,
    private readonly budgets: BudgetsService,
  ) {}

  async list(auth: AuthUser, query: ListNotificationsQuery): Promise<Page<NotificationView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = query.cursor ? decodeKeyset(query.cursor, ['time', 'uuid']) : null;
    const rows = await this.notifications.page(auth.id, query.unread === 'true', after, limit + 1);
    return toPage(rows, limit, toNotificationView, (r) => [r.created_key, r.id]);
  }

  async unread(auth: AuthUser): Promise<{ unread: number }> {
    return { unread: await this.notifications.unread(auth.id) };
  }

  /** Marks read (ids of someone else's are simply not theirs to mark: nothing happens). */
  async markRead(auth: AuthUser, dto: MarkReadDto): Promise<{ unread: number }> {
    if ((dto.ids === undefined) === (dto.all === undefined)) throw Problem.field('ids', 'invalid');
    await this.notifications.markRead(auth.id, dto.all === true ? 'all' : (dto.ids ?? []));
    return this.unread(auth);
  }

  async settings(auth: AuthUser): Promise<NotificationSettings> {
    const row = await this.settingsRows.get(auth.id);
    const types = Object.fromEntries(
      NOTIFICATION_SWITCHES.map((s) => [s, row?.types[s] ?? true]),
    ) as Record<NotificationSwitch, boolean>;
    return {
      email: row?.email ?? DEFAULT_EMAIL,
      types,
      followOnComment: row?.follow_on_comment ?? true,
      language: row?.language ?? DEFAULT_LANG,
    };
  }

  /** Merges the given settings into the stored ones; what is left out is kept. */
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
    await this.settingsRows.merge(
      auth.id,
      {
        email: dto.email ?? null,
        types,
        followOnComment: dto.followOnComment ?? null,
        language: dto.language ?? null,
      },
      DEFAULT_EMAIL,
    );
    return this.settings(auth);
  }

  /** Follows or unfollows a topic or a budget; idempotent. An unknown one is 404 either way. */
  async setFollow(
    auth: AuthUser,
    targetType: FollowTarget,
    targetId: string,
    following: boolean,
  ): Promise<FollowResult> {
    await this.requireTarget(targetType, targetId);
    const db = this.dataSource.manager;
    if (following) await this.follows.follow(db, auth.id, targetType, targetId);
    else await this.follows.unfollow(db, auth.id, targetType, targetId);
    return { targetType, targetId, following };
  }

  async isFollowing(
    auth: AuthUser,
    targetType: FollowTarget,
    targetId: string,
  ): Promise<FollowResult> {
    const following = await this.follows.isFollowing(auth.id, targetType, targetId);
    return { targetType, targetId, following };
  }

  private async requireTarget(targetType: FollowTarget, id: string): Promise<void> {
    if (targetType === 'budget') await this.budgets.budgetRow(this.dataSource, id);
    else if (!(await this.topics.exists(id))) throw Problem.notFound('Topic');
  }
}
