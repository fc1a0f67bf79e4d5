import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module';
import { ModerationModule } from '../moderation/moderation.module';
import { SpacesModule } from '../spaces/spaces.module';
import { PresenceService } from './presence.service';
import { QuestionsReader } from './qa/questions.read';
import { QueueReader } from './queue/queue.read';
import { RoomAccess } from './room-access.service';
import { RoomJoinService } from './room-join.service';
import { RoomPublisher } from './room.publisher';
import { RoomsController } from './rooms.controller';
import { RoomsGateway } from './rooms.gateway';
import { RoomsService } from './rooms.service';

@Module({
  imports: [SpacesModule, ModerationModule, CommentsModule],
  controllers: [RoomsController],
  providers: [
    RoomsService,
    RoomAccess,
    RoomJoinService,
    RoomsGateway,
    RoomPublisher,
    PresenceService,
    QuestionsReader,
    QueueReader,
  ],
  exports: [RoomsService, RoomAccess, PresenceService, QuestionsReader, QueueReader],
})
export class RoomsModule {}
