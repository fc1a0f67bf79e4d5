import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { LiveHandler } from '../../core/realtime/live-handler';
import { type Ack, LIVE_NAMESPACE, type LiveSocket } from '../../core/realtime/live-socket';
import { type AgreeResult } from '../../reactions/agrees.service';
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
  ): Promise<Ack<AgreeResult>> {
    return this.handler.run(socket, 'agree:set', RoomAgreeDto, body, (dto) =>
      this.reactions.setAgree(socket.data.user, dto),
    );
  }

  @SubscribeMessage('react')
  react(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<Ack<Record<string, never>>> {
    return this.handler.run(socket, 'react', ReactDto, body, (dto) =>
      this.reactions.react(socket.data.user, dto),
    );
  }
}
