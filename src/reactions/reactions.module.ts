import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module';
import { ModerationModule } from '../moderation/moderation.module';
import { TopicsModule } from '../topics/topics.module';
import { AgreesController } from './agrees.controller';
import { AgreesRepository } from './agrees.repository';
import { AgreesService } from './agrees.service';

@Module({
  imports: [ModerationModule, TopicsModule, CommentsModule],
  controllers: [AgreesController],
  providers: [AgreesRepository, AgreesService],
  exports: [AgreesService],
})
export class ReactionsModule {}
