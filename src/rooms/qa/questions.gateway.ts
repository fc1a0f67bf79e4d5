import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { LiveHandler } from '../../core/realtime/live-handler';
import { LIVE_NAMESPACE, type LiveAck, type LiveSocket } from '../../core/realtime/live-socket';
import { AskQuestionDto, HighlightQuestionDto, QuestionRefDto } from './dto/question.dto';
import { QuestionsService } from './questions.service';

/** Q&A events: `question:ask`, `question:upvote` and the facilitators' actions. */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class QuestionsGateway {
  constructor(
    private readonly handler: LiveHandler,
    private readonly questions: QuestionsService,
  ) {}

  @SubscribeMessage('question:ask')
  ask(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'question:ask'>> {
    return this.handler.run(socket, 'question:ask', AskQuestionDto, body, (dto) =>
      this.questions.ask(socket.data.user, dto),
    );
  }

  @SubscribeMessage('question:upvote')
  upvote(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'question:upvote'>> {
    return this.handler.run(socket, 'question:upvote', QuestionRefDto, body, (dto) =>
      this.questions.upvote(socket.data.user, dto),
    );
  }

  @SubscribeMessage('question:highlight')
  highlight(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'question:highlight'>> {
    return this.handler.run(socket, 'question:highlight', HighlightQuestionDto, body, (dto) =>
      this.questions.moderate(socket.data.user, 'highlight', dto, dto.highlighted ?? true),
    );
  }

  @SubscribeMessage('question:answered')
  answered(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'question:answered'>> {
    return this.handler.run(socket, 'question:answered', QuestionRefDto, body, (dto) =>
      this.questions.moderate(socket.data.user, 'answered', dto),
    );
  }

  @SubscribeMessage('question:dismiss')
  dismiss(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'question:dismiss'>> {
    return this.handler.run(socket, 'question:dismiss', QuestionRefDto, body, (dto) =>
      this.questions.moderate(socket.data.user, 'dismiss', dto),
    );
  }

  @SubscribeMessage('question:approve')
  approve(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'question:approve'>> {
    return this.handler.run(socket, 'question:approve', QuestionRefDto, body, (dto) =>
      this.questions.moderate(socket.data.user, 'approve', dto),
    );
  }
}
