import { ApiProperty } from '@nestjs/swagger';
import { Documents } from '../openapi/shape';

export type Check = 'up' | 'down' | 'disabled';

export interface LiveView {
  status: 'ok';
}

export interface ReadyView {
  status: 'ok' | 'unavailable';
  checks: { database: Check; redis: Check };
}

@Documents<LiveView>('Liveness')
export class LiveSchema {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

@Documents<ReadyView['checks']>('ReadinessChecks')
export class ReadyChecksSchema {
  @ApiProperty({ enum: ['up', 'down', 'disabled'] })
  database!: Check;

  @ApiProperty({ enum: ['up', 'down', 'disabled'], description: '`disabled` without REDIS_URL.' })
  redis!: Check;
}

@Documents<ReadyView>('Readiness')
export class ReadySchema {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status!: 'ok' | 'unavailable';

  @ApiProperty({ type: ReadyChecksSchema })
  checks!: ReadyChecksSchema;
}
