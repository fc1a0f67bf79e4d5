import { EmbedModule } from '../embed/embed.module';
import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module';
import { SpacesModule } from '../spaces/spaces.module';
import { TopicsModule } from '../topics/topics.module';
import { TopicStreamGateway } from './topic-stream.gateway';
import { TopicStreamPublisher } from './topic-stream.publisher';
import { TopicStreamService } from './topic-stream.service';

@Module({
  imports: [CommentsModule, TopicsModule, SpacesModule, EmbedModule],
  providers: [TopicStreamGateway, TopicStreamService, TopicStreamPublisher],
})
export class TopicStreamModule {}
