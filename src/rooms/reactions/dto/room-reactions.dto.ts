import { IsBoolean, IsIn, IsUUID } from 'class-validator';

import { REACTION_EMOJI, type ReactionEmoji } from '../../../protocol/views';

export { REACTION_EMOJI, type ReactionEmoji };

export class ReactDto {
  @IsUUID('all', { message: 'must be a UUID' })
  roomId!: string;

  @IsIn(REACTION_EMOJI)
  emoji!: ReactionEmoji;
}

export class RoomAgreeDto {
  @IsUUID('all', { message: 'must be a UUID' })
  roomId!: string;

  @IsUUID('all', { message: 'must be a UUID' })
  commentId!: string;

  @IsBoolean()
  agreed!: boolean;
}
