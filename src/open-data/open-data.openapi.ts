import { type Type } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions, ApiSchema } from '@nestjs/swagger';
import { Documents } from '../core/openapi/shape';
import { type Column, type ColumnType, type Dataset } from './datasets';

const SCHEMAS: Record<ColumnType, ApiPropertyOptions> = {
  uuid: { type: String, format: 'uuid' },
  text: { type: String },
  integer: { type: 'integer' },
  timestamp: { type: String, format: 'date-time' },
  date: { type: String, format: 'date' },
  'text[]': { type: [String] },
};

/**
 * The schema of one JSON record of a dataset, made from its column list, so that the OpenAPI
 * document says exactly what the export writes.
 */
export function recordSchema(dataset: Dataset, name: string): Type {
  class RecordSchema {}
  for (const column of dataset.columns) {
    ApiProperty({
      ...SCHEMAS[column.type],
      nullable: column.nullable,
      description: column.description,
    })(RecordSchema.prototype, column.name);
  }
  ApiSchema({ name, description: dataset.description })(RecordSchema);
  return RecordSchema;
}

export interface OpenDataColumnView {
  name: string;
  type: ColumnType;
  nullable: boolean;
  description: string;
}

export interface OpenDataSetView {
  name: string;
  title: string;
  description: string;
  path: string;
  formats: ('json' | 'csv')[];
  columns: OpenDataColumnView[];
}

export interface OpenDataIndexView {
  licence: string | null;
  datasets: OpenDataSetView[];
}

@Documents<Column>('OpenDataColumn')
export class OpenDataColumnSchema {
  @ApiProperty({ example: 'agree_count' })
  name!: string;

  @ApiProperty({ enum: ['uuid', 'text', 'integer', 'timestamp', 'date', 'text[]'] })
  type!: ColumnType;

  @ApiProperty({ description: 'Whether the value may be null (an empty CSV cell).' })
  nullable!: boolean;

  @ApiProperty()
  description!: string;
}

@Documents<OpenDataSetView>('OpenDataSet')
export class OpenDataSetSchema {
  @ApiProperty({ example: 'topics' })
  name!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ example: '/api/v1/open-data/topics' })
  path!: string;

  @ApiProperty({ enum: ['json', 'csv'], isArray: true })
  formats!: ('json' | 'csv')[];

  @ApiProperty({ type: [OpenDataColumnSchema] })
  columns!: OpenDataColumnSchema[];
}

@Documents<OpenDataIndexView>('OpenDataIndex', 'The open-data sets and their columns.')
export class OpenDataIndexSchema {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The licence of the data, as the operator states it (`OPEN_DATA_LICENSE`).',
  })
  licence!: string | null;

  @ApiProperty({ type: [OpenDataSetSchema] })
  datasets!: OpenDataSetSchema[];
}
