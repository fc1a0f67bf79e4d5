import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { LiveHandler } from '../core/realtime/live-handler';
import { LIVE_NAMESPACE, type LiveAck, type LiveSocket } from '../core/realtime/live-socket';
import { UnwatchTopicDto, WatchTopicDto } from './dto';
import { TopicStreamService } from './topic-stream.service';

/** `topic:watch` / `topic:unwatch`: the live stream of one topic, for pages and embeds. */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class TopicStreamGateway {
  constructor(
    private readonly handler: LiveHandler,
    private readonly stream: TopicStreamService,
  ) {}

  @SubscribeMessage('topic:watch')
  watch(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'topic:watch'>> {
    return this.handler.run(socket, 'topic:watch', WatchTopicDto, body, (dto) =>
      this.stream.watch(socket, dto.topicId, dto.sinceSeq),
    );
  }

  @SubscribeMessage('topic:unwatch')
  unwatch(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'topic:unwatch'>> {
    return this.handler.run(socket, 'topic:unwatch', UnwatchTopicDto, body, (dto) =>
      this.stream.unwatch(socket, dto.topicId),
    );
  }
}
