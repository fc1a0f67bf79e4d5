import { ApiProperty } from '@nestjs/swagger';
import { Documents } from '../core/openapi/shape';
import { type AgreeResult } from './agrees.service';

@Documents<AgreeResult>('AgreeResult', "The caller's agree and the target's exact count after it.")
export class AgreeResultSchema {
  @ApiProperty()
  agreed!: boolean;

  @ApiProperty()
  agreeCount!: number;
}
