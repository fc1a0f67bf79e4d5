import { IsOptional, IsUUID } from 'class-validator';
import { COMMENT_BODY_MAX } from '../../../comments/dto/comment.dto';
import { IsPlainText } from '../../../core/http/text-validators';

/** `chat:send`: a chat message is a comment of the room's topic, so it has a comment's rules. */
export class ChatSendDto {
  @IsUUID('all', { message: 'must be a UUID' })
  roomId!: string;

  /** 1–2,000 characters; line breaks allowed, other control characters not. */
  @IsPlainText(1, COMMENT_BODY_MAX)
  body!: string;

  /** A reply to this comment of the room's topic. */
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  parentId?: string;
}
