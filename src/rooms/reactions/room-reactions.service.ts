import { Injectable } from '@nestjs/common';
import { msg, Problem } from '../../core/http/problem';
import { type AuthUser } from '../../identity/auth/auth-user';
import { type AgreeResult, AgreesService } from '../../reactions/agrees.service';
import { RoomAccess } from '../room-access.service';
import { type ReactDto, type RoomAgreeDto } from './dto/room-reactions.dto';
import { ReactionAggregator } from './reaction-aggregator';
import { RoomAgreeCoalescer } from './room-agree-coalescer';

/** Agrees with messages and ephemeral reactions inside a live room. */
@Injectable()
export class RoomReactionsService {
  constructor(
    private readonly access: RoomAccess,
    private readonly agrees: AgreesService,
    private readonly aggregator: ReactionAggregator,
    private readonly coalescer: RoomAgreeCoalescer,
  ) {}

  /**
   * `agree:set`: the exact, idempotent comment agree (AgreesService), for a comment of the
   * room's topic; the room then gets the new count in a coalesced `room:agree`. The room check
   * is shared with the room's other entries of the same turn, and the agree with the other
   * agrees of the comment: a thousand agrees in a second cost a few statements, not thousands.
   */
  async setAgree(auth: AuthUser | undefined, dto: RoomAgreeDto): Promise<AgreeResult> {
    if (!auth) throw Problem.unauthorized(msg('auth.sign_in_to_agree'));
    // Like AgreesService: a banned user may still take an agree back, not give one.
    const room = await this.access.assertMayReact(dto.roomId, auth.id, undefined, {
      banned: dto.agreed ? 'refuse' : 'allow',
    });
    const result = await this.agrees.setCommentAgree(auth, dto.commentId, dto.agreed, room.topicId);
    this.coalescer.changed(dto.commentId, room.id);
    return result;
  }

  /** `react`: counted in memory and broadcast in aggregate (see ReactionAggregator). */
  async react(auth: AuthUser | undefined, dto: ReactDto): Promise<Record<string, never>> {
    if (!auth) throw Problem.unauthorized(msg('auth.sign_in_to_react'));
    const room = await this.access.assertMayReact(dto.roomId, auth.id);
    this.aggregator.add(room.id, dto.emoji);
    return {};
  }
}
