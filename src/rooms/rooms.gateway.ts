import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { LiveHandler } from '../core/realtime/live-handler';
import { LIVE_NAMESPACE, type LiveAck, type LiveSocket } from '../core/realtime/live-socket';
import { JoinRoomDto, RoomRefDto } from './dto/room.dto';
import { PresenceService } from './presence.service';
import { RoomJoinService } from './room-join.service';

const ROOM_PREFIX = 'room:';

/** `room:join` / `room:leave`, and presence upkeep when a connection closes. */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class RoomsGateway implements OnGatewayConnection {
  constructor(
    private readonly handler: LiveHandler,
    private readonly rooms: RoomJoinService,
    private readonly presence: PresenceService,
  ) {}

  @SubscribeMessage('room:join')
  join(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'room:join'>> {
    return this.handler.run(socket, 'room:join', JoinRoomDto, body, (dto) =>
      this.rooms.join(socket, dto.roomId, dto.sinceSeq, dto.lean === true),
    );
  }

  @SubscribeMessage('room:leave')
  leave(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'room:leave'>> {
    return this.handler.run(socket, 'room:leave', RoomRefDto, body, (dto) =>
      this.rooms.leave(socket, dto.roomId),
    );
  }

  handleConnection(socket: LiveSocket): void {
    // 'disconnecting' still knows the socket's rooms ('disconnect' comes after it left them).
    socket.on('disconnecting', () => {
      for (const room of socket.rooms) {
        if (room.startsWith(ROOM_PREFIX) && !room.endsWith(':mod'))
          this.presence.changed(room.slice(ROOM_PREFIX.length));
      }
    });
  }
}
