import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventBus } from '../events/event-bus';
import { LiveServer } from './live-server';
import { Rooms } from './live-socket';

/**
 * Closes every socket of a user whose sessions were revoked (logout, role change). The
 * node that saw the event asks the adapter, which reaches the user's sockets on every node.
 */
@Injectable()
export class SessionCloser implements OnModuleInit, OnModuleDestroy {
  private off?: () => void;

  constructor(
    private readonly bus: EventBus,
    private readonly live: LiveServer,
  ) {}

  onModuleInit(): void {
    this.off = this.bus.subscribeLocal('user.sessions_revoked', ({ userId }) => {
      this.live.disconnect(Rooms.user(userId));
    });
  }

  onModuleDestroy(): void {
    this.off?.();
  }
}
