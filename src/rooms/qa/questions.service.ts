import { Injectable } from '@nestjs/common';
import { UnitOfWork, type Work } from '../../core/events/unit-of-work';
import { type Message, msg, Problem, term } from '../../core/http/problem';
import { type AuthUser } from '../../identity/auth/auth-user';
import { AuditService } from '../../moderation/audit.service';
import { RoomAccess } from '../room-access.service';
import { appendRoomEvent } from '../room-events';
import { type QuestionStatus } from '../room-participation.entity';
import { type Room } from '../room.entity';
import { type AskQuestionDto, type QuestionRefDto } from './dto/question.dto';
import { QuestionVotesBroadcaster } from './question-votes.broadcaster';
import { type QuestionView, toQuestionView } from './question.view';
import { QuestionsReader } from './questions.read';
import { type QuestionState, QuestionsRepository } from './questions.repository';

/** What a facilitator can do to a question. */
export type QuestionAction = 'highlight' | 'answered' | 'dismiss' | 'approve';

/** The state a facilitator action leads to, or why it cannot apply. */
function transition(
  action: QuestionAction,
  from: QuestionState,
  highlighted: boolean,
): QuestionState | { refused: Message } {
  switch (action) {
    case 'approve':
      if (from.status === 'pending') return { status: 'visible', highlighted: false };
      if (from.status === 'visible') return from;
      return { refused: msg('qa.cannot_approve', { status: term(from.status) }) };
    case 'answered':
      if (from.status === 'visible') return { status: 'answered', highlighted: false };
      if (from.status === 'answered') return from;
      return {
        refused:
          from.status === 'pending'
            ? msg('qa.approve_first')
            : msg('qa.cannot_answer', { status: term(from.status) }),
      };
    case 'dismiss':
      if (from.status === 'pending' || from.status === 'visible')
        return { status: 'dismissed', highlighted: false };
      if (from.status === 'dismissed') return from;
      return { refused: msg('qa.cannot_dismiss', { status: term(from.status) }) };
    case 'highlight':
      if (from.status === 'visible') return { status: 'visible', highlighted };
      return { refused: msg('qa.cannot_highlight', { status: term(from.status) }) };
  }
}

const AUDIT_ACTION: Record<QuestionAction, string> = {
  approve: 'question.approve',
  answered: 'question.answer',
  dismiss: 'question.dismiss',
  highlight: 'question.highlight',
};

/**
 * The room's Q&A. Citizens ask and upvote; facilitators approve, highlight, mark answered and
 * dismiss. Every change is a numbered room event in the transaction that makes it, so clients
 * replay what they missed; questions awaiting approval are events for facilitators only.
 */
@Injectable()
export class QuestionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly access: RoomAccess,
    private readonly reader: QuestionsReader,
    private readonly questions: QuestionsRepository,
    private readonly audit: AuditService,
    private readonly votes: QuestionVotesBroadcaster,
  ) {}

  async ask(auth: AuthUser | undefined, dto: AskQuestionDto): Promise<{ question: QuestionView }> {
    const user = this.access.requireUser(auth);
    return this.uow.run(async (work) => {
      const room = await this.access.load(dto.roomId, work.tx, true);
      this.access.assertLive(room);
      if (!room.settings.questions)
        throw Problem.conflict('questions_closed', msg('code.questions_closed'));
      await this.access.assertMayWrite(user.id, room, work.tx);
      const status: QuestionStatus = room.settings.approveQuestions ? 'pending' : 'visible';
      const id = await this.questions.insert(work.tx, room.id, user.id, dto.body, status);
      const question = await this.mustGet(work, room.id, id);
      // A question awaiting approval is shown to facilitators only (and, once approved, to all).
      await appendRoomEvent(
        work,
        room,
        'question:new',
        { question },
        status === 'pending' ? 'mod' : 'all',
      );
      return { question };
    });
  }

  /**
   * One vote per user per question, exactly: the vote row's primary key decides who voted and
   * the counter moves only when that row was inserted, in the same transaction, and only while
   * the question is still visible. Voting again answers the question unchanged.
   */
  async upvote(
    auth: AuthUser | undefined,
    dto: QuestionRefDto,
  ): Promise<{ question: QuestionView }> {
    const user = this.access.requireUser(auth);
    const { question, counted } = await this.uow.run(async (work) => {
      // The room (unlocked, as a vote changes nothing of it), live, and the voter banned
      // neither from it nor from its space: one query.
      const room = await this.access.assertMayReact(dto.roomId, user.id, work.tx);
      const before = await this.reader.get(room.id, dto.questionId, work.tx);
      if (!before) throw Problem.notFound('Question');
      if (before.author.id === user.id) throw Problem.conflict('conflict', msg('qa.own_question'));
      if (before.status !== 'visible')
        throw Problem.conflict('conflict', msg('qa.no_votes', { status: term(before.status) }));
      if (!(await this.questions.insertVote(work.tx, before.id, user.id)))
        return { question: before, counted: false };
      // The question as this update left it, straight from RETURNING (no second read).
      const row = await this.questions.countVote(work.tx, before.id);
      // Answered or dismissed meanwhile: the vote is rolled back with the transaction.
      if (!row) throw Problem.conflict('conflict', msg('qa.votes_closed'));
      return { question: toQuestionView(row), counted: true };
    });
    if (counted) this.votes.changed(dto.roomId, question.id);
    return { question };
  }

  /**
   * A facilitator's action on a question. The room row is locked first (as everywhere in
   * rooms), then the question; an action that changes nothing (a retry) answers the question
   * as it is, with no event and no audit row.
   */
  async moderate(
    auth: AuthUser | undefined,
    action: QuestionAction,
    dto: QuestionRefDto,
    highlighted = true,
  ): Promise<{ question: QuestionView }> {
    return this.uow.run(async (work) => {
      const room = await this.access.load(dto.roomId, work.tx, true);
      const actor = await this.access.requireFacilitator(auth, room, work.tx);
      this.access.assertLive(room);
      const from = await this.questions.lockState(work.tx, room.id, dto.questionId);
      if (!from) throw Problem.notFound('Question');
      const to = transition(action, from, highlighted);
      if ('refused' in to) throw Problem.conflict('conflict', to.refused);
      if (to.status === from.status && to.highlighted === from.highlighted)
        return { question: await this.mustGet(work, room.id, dto.questionId) };

      await this.questions.setState(work.tx, dto.questionId, to);
      await this.audit.record(work.tx, {
        spaceId: room.spaceId,
        actorId: actor.id,
        action:
          action === 'highlight' && !to.highlighted ? 'question.unhighlight' : AUDIT_ACTION[action],
        targetType: 'question',
        targetId: dto.questionId,
        before: { roomId: room.id, ...from },
        after: { roomId: room.id, ...to },
      });
      const question = await this.mustGet(work, room.id, dto.questionId);
      await this.publishChange(work, room, from, question);
      return { question };
    });
  }

  /**
   * `question:update` to whoever has seen the question: facilitators only while it was never
   * approved (a pending question dismissed). Approval also sends `question:new` to everyone,
   * since for citizens the question appears only now.
   */
  private async publishChange(
    work: Work,
    room: Room,
    from: QuestionState,
    question: QuestionView,
  ): Promise<void> {
    const neverShown = from.status === 'pending';
    await appendRoomEvent(work, room, 'question:update', { question }, neverShown ? 'mod' : 'all');
    if (neverShown && question.status === 'visible')
      await appendRoomEvent(work, room, 'question:new', { question }, 'all');
  }

  private async mustGet(work: Work, roomId: string, questionId: string): Promise<QuestionView> {
    const question = await this.reader.get(roomId, questionId, work.tx);
    if (!question) throw new Error(`question ${questionId} vanished inside its transaction`);
    return question;
  }
}
