import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module';
import { TopicsModule } from '../topics/topics.module';
import { ProfileController } from './profile.controller';

@Module({
  imports: [TopicsModule, CommentsModule],
  controllers: [ProfileController],
})
export class ProfileModule {}
