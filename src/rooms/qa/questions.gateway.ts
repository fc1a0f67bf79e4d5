import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { LiveHandler } from '../../core/realtime/live-handler';
import { type Ack, LIVE_NAMESPACE, type LiveSocket } from '../../core/realtime/live-socket';
import { AskQuestionDto, HighlightQuestionDto, QuestionRefDto } from './dto/question.dto';
import { type QuestionView } from './question.view';
import { type QuestionAction, QuestionsService } from './questions.service';

type QuestionAck = Promise<Ack<{ question: QuestionView }>>;

/** Q&A events: `question:ask`, `question:upvote` and the facilitators' actions. */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class QuestionsGateway {
  constructor(
    private readonly handler: LiveHandler,
    private readonly questions: QuestionsService,
  ) {}

  @SubscribeMessage('question:ask')
  ask(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): QuestionAck {
    return this.handler.run(socket, 'question:ask', AskQuestionDto, body, (dto) =>
      this.questions.ask(socket.data.user, dto),
    );
  }

  @SubscribeMessage('question:upvote')
  upvote(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): QuestionAck {
    return this.handler.run(socket, 'question:upvote', QuestionRefDto, body, (dto) =>
      this.questions.upvote(socket.data.user, dto),
    );
  }

  @SubscribeMessage('question:highlight')
  highlight(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): QuestionAck {
    return this.handler.run(socket, 'question:highlight', HighlightQuestionDto, body, (dto) =>
      this.questions.moderate(socket.data.user, 'highlight', dto, dto.highlighted ?? true),
    );
  }

  @SubscribeMessage('question:answered')
  answered(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): QuestionAck {
    return this.moderate(socket, 'answered', body);
  }

  @SubscribeMessage('question:dismiss')
  dismiss(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): QuestionAck {
    return this.moderate(socket, 'dismiss', body);
  }

  @SubscribeMessage('question:approve')
  approve(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): QuestionAck {
    return this.moderate(socket, 'approve', body);
  }

  private moderate(socket: LiveSocket, action: QuestionAction, body: unknown): QuestionAck {
    return this.handler.run(socket, `question:${action}`, QuestionRefDto, body, (dto) =>
      this.questions.moderate(socket.data.user, action, dto),
    );
  }
}
