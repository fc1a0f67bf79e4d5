import { Module } from '@nestjs/common';
import { FollowsRepository } from './follows.repository';

/**
 * Following on its own, so the topics module (a proposer follows their topic as it is created)
 * and the notifications module (which reads topics) can both use it without importing each other.
 */
@Module({ providers: [FollowsRepository], exports: [FollowsRepository] })
export class FollowsModule {}
