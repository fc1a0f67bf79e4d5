import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PresenceService } from '../presence.service';
import { QueueService } from './queue.service';

/** Someone who left a room (past the grace) leaves its speaking queue too. */
@Injectable()
export class QueueDepartures implements OnModuleInit {
  constructor(
    private readonly presence: PresenceService,
    private readonly queue: QueueService,
  ) {}

  onModuleInit(): void {
    this.presence.onDeparture((roomId, userId) => this.queue.dropDeparted(roomId, userId));
  }
}
