import { Module } from '@nestjs/common';
import { ModerationModule } from '../moderation/moderation.module';
import { SpacesModule } from '../spaces/spaces.module';
import { TopicsModule } from '../topics/topics.module';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';

@Module({
  imports: [SpacesModule, ModerationModule, TopicsModule],
  controllers: [CommentsController],
  providers: [CommentsService],
  exports: [CommentsService],
})
export class CommentsModule {}
