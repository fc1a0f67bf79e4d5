import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '../../core/config/config.module';
import { type AppConfig } from '../../core/config/env';
import { LOGGER } from '../../core/logging/logging.module';
import { type Logger } from '../../core/logging/logger';
import { AdminAccounts } from './admin-accounts';

/** Creates the administrator named by ADMIN_EMAIL/ADMIN_PASSWORD once migrations have run. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  constructor(
    private readonly admins: AdminAccounts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config;
    if (!email || !password) return;
    const outcome = await this.admins.ensureAdmin(email, password);
    if (outcome !== 'unchanged') this.logger.info({ email, outcome }, 'administrator bootstrapped');
  }
}
