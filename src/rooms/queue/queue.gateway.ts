import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { LiveHandler } from '../../core/realtime/live-handler';
import { LIVE_NAMESPACE, type LiveAck, type LiveSocket } from '../../core/realtime/live-socket';
import { QueueRemoveDto, QueueRoomDto } from './dto/queue.dto';
import { QueueService } from './queue.service';

/** Speaking queue events: `hand:raise`, `hand:lower`, and the facilitators' `queue:*`. */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class QueueGateway {
  constructor(
    private readonly handler: LiveHandler,
    private readonly queue: QueueService,
  ) {}

  @SubscribeMessage('hand:raise')
  raise(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'hand:raise'>> {
    return this.handler.run(socket, 'hand:raise', QueueRoomDto, body, (dto) =>
      this.queue.raise(socket.data.user, dto.roomId),
    );
  }

  @SubscribeMessage('hand:lower')
  lower(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'hand:lower'>> {
    return this.handler.run(socket, 'hand:lower', QueueRoomDto, body, (dto) =>
      this.queue.lower(socket.data.user, dto.roomId),
    );
  }

  @SubscribeMessage('queue:next')
  next(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'queue:next'>> {
    return this.handler.run(socket, 'queue:next', QueueRoomDto, body, (dto) =>
      this.queue.next(socket.data.user, dto.roomId),
    );
  }

  @SubscribeMessage('queue:remove')
  remove(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'queue:remove'>> {
    return this.handler.run(socket, 'queue:remove', QueueRemoveDto, body, (dto) =>
      this.queue.remove(socket.data.user, dto.roomId, dto.userId),
    );
  }
}
