import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { PageQuery } from '../../core/http/pagination';
import { IsPlainText } from '../../core/http/text-validators';
import { STANCES, type Stance } from '../../topics/topic-participation.entity';

export const COMMENT_BODY_MAX = 2000;

export class CreateCommentDto {
  /** 1–2,000 characters; line breaks allowed, other control characters not. */
  @IsPlainText(1, COMMENT_BODY_MAX)
  body!: string;

  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  parentId?: string;

  @IsOptional()
  @IsIn(STANCES)
  stance?: Stance;
}

export class UpdateCommentDto {
  @IsPlainText(1, COMMENT_BODY_MAX)
  body!: string;
}

export const COMMENT_SORTS = ['oldest', 'newest', 'agrees'] as const;
export type CommentSort = (typeof COMMENT_SORTS)[number];

export class ListCommentsQuery extends PageQuery {
  @IsOptional()
  @IsIn(COMMENT_SORTS)
  sort?: CommentSort;

  /** Replies to include under each top-level comment (0–10, default 3). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  replies?: number;

  /**
   * Levels of replies nested in the answer (1–3, default 1): each reply down to that level
   * comes with its own first `replies` replies and `moreReplies`.
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3)
  depth?: number;
}

export class ListRepliesQuery extends PageQuery {
  @IsOptional()
  @IsIn(COMMENT_SORTS)
  sort?: CommentSort;
}
