import { IsBoolean, IsIn, IsUUID } from 'class-validator';

/** The reactions a room offers (❤️ is U+2764 U+FE0F, as emoji keyboards send it). */
export const REACTION_EMOJI = ['👏', '👍', '❤️', '🤔'] as const;
export type ReactionEmoji = (typeof REACTION_EMOJI)[number];

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
