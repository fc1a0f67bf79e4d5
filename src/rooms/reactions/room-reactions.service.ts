import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
    private readonly dataSource: DataSource,
    private readonly access: RoomAccess,
    private readonly agrees: AgreesService,
    private readonly aggregator: ReactionAggregator,
    private readonly coalescer: RoomAgreeCoalescer,
  ) {}

  /**
   * `agree:set`: the exact, idempotent comment agree (AgreesService), for a comment of the
   * room's topic; the room then gets the new count in a coalesced `room:agree`.
   */
  async setAgree(auth: AuthUser | undefined, dto: RoomAgreeDto): Promise<AgreeResult> {
    if (!auth) throw Problem.unauthorized(msg('auth.sign_in_to_agree'));
    const room = await this.access.load(dto.roomId);
    this.access.assertLive(room);
    // Like AgreesService: a banned user may still take an agree back, not give one.
    if (dto.agreed) await this.access.assertNotBanned(auth.id, room);
    const rows: { topic_id: string }[] = await this.dataSource.query(
      `SELECT topic_id FROM comments WHERE id = $1`,
      [dto.commentId],
    );
    if (rows[0]?.topic_id !== room.topicId) throw Problem.notFound('Comment');
    const result = await this.agrees.setCommentAgree(auth, dto.commentId, dto.agreed);
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
