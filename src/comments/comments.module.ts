import { Module } from '@nestjs/common';
import { ModerationModule } from '../moderation/moderation.module';
import { SpacesModule } from '../spaces/spaces.module';
import { TopicsModule } from '../topics/topics.module';
import { CommentsController } from './comments.controller';
import { CommentsRepository } from './comments.repository';
import { CommentsService } from './comments.service';
import {
  PublicPageInterceptor,
  PublicPageVersion,
} from '../core/http/public-page/public-page.interceptor';
import { TopicPageVersion } from './topic-page-version';

@Module({
  imports: [SpacesModule, ModerationModule, TopicsModule],
  controllers: [CommentsController],
  providers: [
    CommentsRepository,
    CommentsService,
    PublicPageInterceptor,
    { provide: PublicPageVersion, useClass: TopicPageVersion },
  ],
  exports: [CommentsRepository, CommentsService],
})
export class CommentsModule {}
