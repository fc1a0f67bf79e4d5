import { IsIn, IsOptional } from 'class-validator';

export const MINUTES_FORMATS = ['json', 'md'] as const;
export type MinutesFormat = (typeof MINUTES_FORMATS)[number];

export class MinutesQuery {
  /** `json` (default) or `md` (Korean Markdown, `text/markdown`). */
  @IsOptional()
  @IsIn(MINUTES_FORMATS)
  format?: MinutesFormat;
}
