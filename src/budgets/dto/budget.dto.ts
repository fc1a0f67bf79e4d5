import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../core/http/pagination';
import { IsPlainText, IsSingleLine } from '../../core/http/text-validators';
import {
  BUDGET_PHASES,
  type BudgetPhase,
  ELECTORATES,
  type Electorate,
  PROJECT_STATUSES,
  type ProjectStatus,
  RULE_KINDS,
  type RuleKind,
} from '../budget-rules';

/** Amounts are whole KRW; 1조 (10^12) is the largest budget the seeds foresee, with room above. */
const MAX_AMOUNT = 1_000_000_000_000_000;

export class RuleDto {
  @IsIn(RULE_KINDS)
  kind!: RuleKind;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxChoices?: number;

  /** `knapsack` only: the share of the heading's cap a ballot must spend at least (0–1). */
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0)
  @Max(1)
  minSpendRatio?: number;
}

export class VoterClassDto {
  @Matches(/^[a-z0-9_-]{1,32}$/, { message: 'key must be 1–32 of a-z, 0-9, _ and -' })
  key!: string;

  @IsSingleLine(1, 50)
  name!: string;

  @IsInt()
  @Min(1)
  @Max(100)
  weight!: number;
}

export class PhaseDateDto {
  @IsIn(BUDGET_PHASES)
  phase!: BudgetPhase;

  @IsOptional()
  @IsISO8601({ strict: true })
  startsAt?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  endsAt?: string;
}

/** What a budget's creation and its edits both take, optional in both. */
class BudgetFieldsDto {
  @IsOptional()
  @IsPlainText(0, 20000)
  description?: string;

  /** Weights add up to 100; a budget created without classes has one class of weight 100. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => VoterClassDto)
  voterClasses?: VoterClassDto[];

  @IsOptional()
  @IsBoolean()
  liveTally?: boolean;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => PhaseDateDto)
  phases?: PhaseDateDto[];
}

export class CreateBudgetDto extends BudgetFieldsDto {
  @IsSingleLine(2, 200)
  title!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  totalAmount!: number;

  @ValidateNested()
  @Type(() => RuleDto)
  rule!: RuleDto;

  @IsIn(ELECTORATES)
  electorate!: Electorate;
}

export class UpdateBudgetDto extends BudgetFieldsDto {
  @IsOptional()
  @IsSingleLine(2, 200)
  title?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  totalAmount?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => RuleDto)
  rule?: RuleDto;

  @IsOptional()
  @IsIn(ELECTORATES)
  electorate?: Electorate;

  /** The live room of the budget's assembly (a room of the same space). */
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  roomId?: string;
}

export class PhaseDto {
  @IsIn(BUDGET_PHASES)
  to!: BudgetPhase;
}

export class HeadingDto {
  @IsSingleLine(1, 100)
  name!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  amount!: number;

  @IsOptional()
  @IsSingleLine(1, 100)
  group?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxChoices?: number;
}

export class ProjectDto {
  @IsUUID('all', { message: 'must be a UUID' })
  headingId!: string;

  @IsSingleLine(5, 200)
  title!: string;

  @IsSingleLine(1, 500)
  summary!: string;

  @IsPlainText(1, 20000)
  body!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  amount!: number;

  @IsOptional()
  @IsSingleLine(1, 50)
  category?: string;

  @IsOptional()
  @IsSingleLine(1, 200)
  location?: string;
}

/** `oldest` is the facilitators' review queue: first come, first reviewed. */
export const PROJECT_SORTS = ['random', 'amount', 'newest', 'oldest'] as const;
export type ProjectSort = (typeof PROJECT_SORTS)[number];

export class ListProjectsQuery extends PageQuery {
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  headingId?: string;

  @IsOptional()
  @IsIn(PROJECT_STATUSES)
  status?: ProjectStatus;

  @IsOptional()
  @IsIn(PROJECT_SORTS)
  sort?: ProjectSort;
}

export class ReviewDto {
  @IsBoolean()
  feasible!: boolean;

  /** The reviewed cost, when it differs from the amount asked. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  cost?: number;

  @IsPlainText(1, 5000)
  explanation!: string;
}

export class ClaimDto {
  @Matches(/^[A-Z0-9-]{4,32}$/, { message: 'code must be 4–32 of A-Z, 0-9 and -' })
  code!: string;
}

export class BallotEntryDto {
  @IsUUID('all', { message: 'must be a UUID' })
  headingId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'each must be a UUID' })
  projectIds!: string[];
}

/** One heading as `{headingId, projectIds}`, or one entry per group as `{ballots}`. */
export class BallotDto {
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  headingId?: string;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'each must be a UUID' })
  projectIds?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BallotEntryDto)
  ballots?: BallotEntryDto[];
}

export class OnsiteBallotDto {
  @IsSingleLine(1, 100)
  ref!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BallotEntryDto)
  ballots!: BallotEntryDto[];
}

export class PaperTotalDto {
  @IsSingleLine(1, 100)
  station!: string;

  @IsUUID('all', { message: 'must be a UUID' })
  headingId!: string;

  @IsInt()
  @Min(0)
  @Max(10_000_000)
  ballots!: number;

  /** Paper ballots choosing each project: `{projectId: n}`. */
  @IsObject()
  counts!: Record<string, number>;

  @IsOptional()
  @Matches(/^[a-z0-9_-]{1,32}$/, { message: 'classKey must be 1–32 of a-z, 0-9, _ and -' })
  classKey?: string;
}

export class MilestoneDto {
  @IsSingleLine(1, 200)
  title!: string;

  @IsOptional()
  @IsPlainText(0, 5000)
  body?: string;

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date written YYYY-MM-DD' })
  date!: string;

  @IsInt()
  @Min(0)
  @Max(100)
  progress!: number;
}

/** What every budget export takes. */
class ExportFormatQuery {
  @IsOptional()
  @IsIn(['csv', 'json'])
  format?: 'csv' | 'json';
}

export class ExportQuery extends ExportFormatQuery {
  @IsOptional()
  @IsIn(['projects', 'results'])
  what?: 'projects' | 'results';
}

export class BudgetResultsOpenDataQuery extends ExportFormatQuery {
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  spaceId?: string;

  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  budgetId?: string;
}
