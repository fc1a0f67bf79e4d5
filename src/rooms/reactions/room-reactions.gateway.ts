import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { LiveHandler } from '../../core/realtime/live-handler';
import { LIVE_NAMESPACE, type LiveAck, type LiveSocket } from '../../core/realtime/live-socket';
import { ReactDto, RoomAgreeDto } from './dto/room-reactions.dto';
import { RoomReactionsService } from './room-reactions.service';

/** `agree:set` and `react`. */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class RoomReactionsGateway {
  constructor(
    private readonly handler: LiveHandler,
    private readonly reactions: RoomReactionsService,
  ) {}

  @SubscribeMessage('agree:set')
  agree(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'agree:set'>> {
    return this.handler.run(socket, 'agree:set', RoomAgreeDto, body, (dto) =>
      this.reactions.setAgree(socket.data.user, dto),
    );
  }

  @SubscribeMessage('react')
  react(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'react'>> {
    return this.handler.run(socket, 'react', ReactDto, body, (dto) =>
      this.reactions.react(socket.data.user, dto),
    );
  }
}
