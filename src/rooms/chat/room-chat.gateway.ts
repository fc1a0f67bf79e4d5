import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { LiveHandler } from '../../core/realtime/live-handler';
import { LIVE_NAMESPACE, type LiveAck, type LiveSocket } from '../../core/realtime/live-socket';
import { ChatSendDto } from './dto/chat.dto';
import { RoomChatService } from './room-chat.service';

/** `chat:send`. */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class RoomChatGateway {
  constructor(
    private readonly handler: LiveHandler,
    private readonly chat: RoomChatService,
  ) {}

  @SubscribeMessage('chat:send')
  send(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'chat:send'>> {
    return this.handler.run(socket, 'chat:send', ChatSendDto, body, (dto) =>
      this.chat.send(socket.data.user, dto),
    );
  }
}
