import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  IsObject,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../core/http/pagination';
import { IsPlainText, IsSingleLine } from '../../core/http/text-validators';
import { IsExactOrigin } from '../../core/http/exact-origin';

export class ThresholdsDto {
  /** Agrees that oblige the department to answer (Seoul: 50). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  review?: number;

  /** Agrees that open a public deliberation (Seoul: 100; earlier 500). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  deliberation?: number;

  /** Participants in the deliberation that oblige the top official to answer (Seoul: 1,000). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  response?: number;

  /** Days a proposal collects agrees before it expires (Seoul: 30). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  proposalWindowDays?: number;

  /** Default length of a deliberation in days (Seoul: 30). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  deliberationDays?: number;
}

class SpaceFieldsDto {
  @IsOptional()
  @IsPlainText(0, 2000)
  description?: string;

  @IsOptional()
  // An object, not an array: ValidateNested alone accepted `[]` (every element valid).
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => ThresholdsDto)
  thresholds?: ThresholdsDto;

  /** Exact origins allowed to embed this space's widgets. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsExactOrigin({ each: true })
  embedOrigins?: string[];

  /** Open reports that hide content pending review (default 3). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  reportsToHide?: number;
}

export class CreateSpaceDto extends SpaceFieldsDto {
  /** URL name: 3–64 of a–z, 0–9 and single hyphens. */
  @Matches(/^(?=.{3,64}$)[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: 'must be 3–64 lower-case letters, digits and single hyphens',
  })
  slug!: string;

  @IsSingleLine(1, 100)
  name!: string;
}

/** The slug is fixed once created: it is in every link to the space. */
export class UpdateSpaceDto extends SpaceFieldsDto {
  @IsOptional()
  @IsSingleLine(1, 100)
  name?: string;
}

export interface SpaceView {
  id: string;
  slug: string;
  name: string;
  description: string;
  thresholds: {
    review: number;
    deliberation: number;
    response: number;
    proposalWindowDays: number;
    deliberationDays: number;
  };
  embedOrigins: string[];
  reportsToHide: number;
  /** When the space was archived; null while it is in use. */
  archivedAt: string | null;
  /** On reads: topics in the space, those still open, and its rooms live now. */
  counts?: { topics: number; open: number; live: number };
  createdAt: string;
  updatedAt: string;
}

export class SpaceListQuery extends PageQuery {
  /** Administrators only: `true` lists archived spaces as well. */
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Administrators only.' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeArchived?: 'true' | 'false';
}

export interface FacilitatorView {
  spaceId: string;
  userId: string;
  displayName: string;
  role: 'facilitator';
  grantedAt: string;
}
