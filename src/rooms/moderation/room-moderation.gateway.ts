import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { LiveHandler } from '../../core/realtime/live-handler';
import { LIVE_NAMESPACE, type LiveAck, type LiveSocket } from '../../core/realtime/live-socket';
import {
  ModAnnounceDto,
  ModBanDto,
  ModCommentDto,
  ModLockDto,
  ModMuteDto,
  ModPinDto,
  ModLiftDto,
  ModSlowModeDto,
  ModUnpinDto,
} from './dto/room-moderation.dto';
import { RoomModerationService } from './room-moderation.service';
import { RoomSanctionsService } from './room-sanctions.service';

/** The facilitator's `mod:*` events; who may send them is decided in the services. */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class RoomModerationGateway {
  constructor(
    private readonly handler: LiveHandler,
    private readonly moderation: RoomModerationService,
    private readonly sanctions: RoomSanctionsService,
  ) {}

  @SubscribeMessage('mod:hide')
  hide(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'mod:hide'>> {
    return this.handler.run(socket, 'mod:hide', ModCommentDto, body, (dto) =>
      this.moderation.hide(socket.data.user, dto),
    );
  }

  @SubscribeMessage('mod:restore')
  restore(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'mod:restore'>> {
    return this.handler.run(socket, 'mod:restore', ModCommentDto, body, (dto) =>
      this.moderation.restore(socket.data.user, dto),
    );
  }

  @SubscribeMessage('mod:pin')
  pin(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'mod:pin'>> {
    return this.handler.run(socket, 'mod:pin', ModPinDto, body, (dto) =>
      this.moderation.pin(socket.data.user, dto),
    );
  }

  @SubscribeMessage('mod:announce')
  announce(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'mod:announce'>> {
    return this.handler.run(socket, 'mod:announce', ModAnnounceDto, body, (dto) =>
      this.moderation.announce(socket.data.user, dto),
    );
  }

  @SubscribeMessage('mod:mute')
  mute(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'mod:mute'>> {
    return this.handler.run(socket, 'mod:mute', ModMuteDto, body, (dto) =>
      this.sanctions.mute(socket.data.user, dto),
    );
  }

  @SubscribeMessage('mod:ban')
  ban(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'mod:ban'>> {
    return this.handler.run(socket, 'mod:ban', ModBanDto, body, (dto) =>
      this.sanctions.ban(socket.data.user, dto),
    );
  }

  @SubscribeMessage('mod:unpin')
  unpin(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'mod:unpin'>> {
    return this.handler.run(socket, 'mod:unpin', ModUnpinDto, body, (dto) =>
      this.moderation.unpin(socket.data.user, dto),
    );
  }

  @SubscribeMessage('mod:unmute')
  unmute(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'mod:unmute'>> {
    return this.handler.run(socket, 'mod:unmute', ModLiftDto, body, (dto) =>
      this.sanctions.unmute(socket.data.user, dto),
    );
  }

  @SubscribeMessage('mod:unban')
  unban(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'mod:unban'>> {
    return this.handler.run(socket, 'mod:unban', ModLiftDto, body, (dto) =>
      this.sanctions.unban(socket.data.user, dto),
    );
  }

  @SubscribeMessage('mod:slowmode')
  slowMode(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'mod:slowmode'>> {
    return this.handler.run(socket, 'mod:slowmode', ModSlowModeDto, body, (dto) =>
      this.moderation.slowMode(socket.data.user, dto),
    );
  }

  @SubscribeMessage('mod:lock')
  lock(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'mod:lock'>> {
    return this.handler.run(socket, 'mod:lock', ModLockDto, body, (dto) =>
      this.moderation.lock(socket.data.user, dto),
    );
  }
}
