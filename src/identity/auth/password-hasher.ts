import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { APP_CONFIG } from '../../core/config/config.module';
import { type AppConfig } from '../../core/config/env';

/** argon2id with a per-password random salt (inside the encoded hash). */
@Injectable()
export class PasswordHasher {
  private readonly options: argon2.HashOptions;
  private dummy?: Promise<string>;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'ARGON2_MEMORY_KIB' | 'ARGON2_PASSES'>) {
    this.options = {
      type: argon2.argon2id,
      memoryCost: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_PASSES,
      parallelism: 1,
    };
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, { ...this.options, raw: false });
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    // With no such user we still spend one verification, so the answer time does not tell
    // an attacker which emails are registered.
    this.dummy ??= this.hash('madang-timing-equaliser');
    const target = hash ?? (await this.dummy);
    try {
      return (await argon2.verify(target, password)) && hash !== undefined;
    } catch {
      return false;
    }
  }
}
