import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { IsPlainText } from '../../../core/http/text-validators';

/** A question is plain text (line breaks allowed), 1–500 characters after trimming. */
export const QUESTION_BODY_MAX = 500;

export class AskQuestionDto {
  @IsUUID('all', { message: 'must be a UUID' })
  roomId!: string;

  @IsPlainText(1, QUESTION_BODY_MAX)
  body!: string;
}

export class QuestionRefDto {
  @IsUUID('all', { message: 'must be a UUID' })
  roomId!: string;

  @IsUUID('all', { message: 'must be a UUID' })
  questionId!: string;
}

export class HighlightQuestionDto extends QuestionRefDto {
  /** `false` takes the highlight off again; default `true`. */
  @IsOptional()
  @IsBoolean()
  highlighted?: boolean;
}
