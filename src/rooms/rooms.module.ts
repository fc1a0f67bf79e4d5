import { EmbedModule } from '../embed/embed.module';
import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module';
import { ModerationModule } from '../moderation/moderation.module';
import { SpacesModule } from '../spaces/spaces.module';
import { PresenceService } from './presence.service';
import { QuestionsReader } from './qa/questions.read';
import { QueueReader } from './queue/queue.read';
import { SpeakerTimer } from './queue/speaker-timer';
import { RoomAccess } from './room-access.service';
import { RoomJoinService } from './room-join.service';
import { RoomPublisher } from './room.publisher';
import { RoomsController } from './rooms.controller';
import { RoomsGateway } from './rooms.gateway';
import { RoomsService } from './rooms.service';
import { ReactionsModule } from '../reactions/reactions.module';
import { RoomChatGateway } from './chat/room-chat.gateway';
import { RoomChatService } from './chat/room-chat.service';
import { RoomModActions } from './moderation/room-mod-actions';
import { RoomModFeed } from './moderation/room-mod-feed';
import { RoomModerationGateway } from './moderation/room-moderation.gateway';
import { RoomModerationService } from './moderation/room-moderation.service';
import { RoomSanctionsService } from './moderation/room-sanctions.service';
import { ReactionAggregator } from './reactions/reaction-aggregator';
import { RoomAgreeCoalescer } from './reactions/room-agree-coalescer';
import { RoomReactionsGateway } from './reactions/room-reactions.gateway';
import { RoomReactionsService } from './reactions/room-reactions.service';

import { AttendanceSampler } from './minutes/attendance-sampler';
import { MinutesService } from './minutes/minutes.service';
import { QuestionVotesBroadcaster } from './qa/question-votes.broadcaster';
import { QuestionsGateway } from './qa/questions.gateway';
import { QuestionsService } from './qa/questions.service';
import { QueueGateway } from './queue/queue.gateway';
import { QueueDepartures } from './queue/queue-departures';
import { QueueService } from './queue/queue.service';
import { RoomEndService } from './room-end.service';
import { RoomMessagesRepository } from './chat/room-messages.repository';
import { MinutesReader } from './minutes/minutes.read';
import { RoomAttendanceRepository } from './minutes/room-attendance.repository';
import { RoomSanctionsRepository } from './moderation/room-sanctions.repository';
import { QuestionsRepository } from './qa/questions.repository';
import { QueueRepository } from './queue/queue.repository';
import { RoomEventsRepository } from './room-events.repository';
import { RoomsRepository } from './rooms.repository';

/** The repositories owning the room tables: other features call them. */
const ROOM_TABLES = [
  RoomsRepository,
  RoomEventsRepository,
  QuestionsRepository,
  QueueRepository,
  RoomSanctionsRepository,
  RoomAttendanceRepository,
];

@Module({
  imports: [SpacesModule, ModerationModule, CommentsModule, ReactionsModule, EmbedModule],
  controllers: [RoomsController],
  providers: [
    ...ROOM_TABLES,
    RoomMessagesRepository,
    MinutesReader,
    SpeakerTimer,
    RoomsService,
    RoomAccess,
    RoomJoinService,
    RoomsGateway,
    RoomPublisher,
    PresenceService,
    QuestionsReader,
    QueueReader,
    RoomChatService,
    RoomChatGateway,
    RoomReactionsService,
    RoomReactionsGateway,
    ReactionAggregator,
    RoomAgreeCoalescer,
    RoomModActions,
    RoomModerationService,
    RoomSanctionsService,
    RoomModerationGateway,
    RoomModFeed,
    QuestionsService,
    QuestionsGateway,
    QuestionVotesBroadcaster,
    QueueService,
    QueueGateway,
    QueueDepartures,
    RoomEndService,
    MinutesService,
    AttendanceSampler,
  ],
  exports: [
    ...ROOM_TABLES,
    RoomsService,
    RoomAccess,
    PresenceService,
    QuestionsReader,
    QueueReader,
  ],
})
export class RoomsModule {}
