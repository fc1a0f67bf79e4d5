import { ApiProperty } from '@nestjs/swagger';
import { Documents } from '../core/openapi/shape';
import { type FacilitatorView, type SpaceView } from './dto/space.dto';

@Documents<SpaceView['thresholds']>('Thresholds', "A space's threshold ladder.")
export class ThresholdsSchema {
  @ApiProperty({ description: 'Agrees that oblige the department to answer.', example: 50 })
  review!: number;

  @ApiProperty({ description: 'Agrees that open a public deliberation.', example: 100 })
  deliberation!: number;

  @ApiProperty({
    description: 'Participants in the deliberation that oblige the top official to answer.',
    example: 1000,
  })
  response!: number;

  @ApiProperty({ description: 'Days a proposal collects agrees before it expires.', example: 30 })
  proposalWindowDays!: number;

  @ApiProperty({ description: 'Default length of a deliberation in days.', example: 30 })
  deliberationDays!: number;
}

@Documents<SpaceView>('Space', 'A committee or programme that owns topics and rooms.')
export class SpaceSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'seoul-participatory-budget' })
  slug!: string;

  @ApiProperty({ example: '서울시 시민참여예산' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: ThresholdsSchema })
  thresholds!: ThresholdsSchema;

  @ApiProperty({ type: [String], description: 'Exact origins allowed to embed its widgets.' })
  embedOrigins!: string[];

  @ApiProperty({ description: 'Open reports that hide a comment pending review.' })
  reportsToHide!: number;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the space was archived; null while it is in use.',
  })
  archivedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

@Documents<FacilitatorView>('Facilitator')
export class FacilitatorSchema {
  @ApiProperty({ format: 'uuid' })
  spaceId!: string;

  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ enum: ['facilitator'] })
  role!: 'facilitator';

  @ApiProperty({ format: 'date-time' })
  grantedAt!: string;
}
