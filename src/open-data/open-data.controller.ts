import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { APP_CONFIG } from '../core/config/config.module';
import { type AppConfig } from '../core/config/env';
import { ApiDoc } from '../core/openapi/api-doc';
import { Public } from '../identity/auth/auth.decorators';
import { COMMENTS, DAILY_AGREES, DATASETS, TOPIC_TIMELINE, TOPICS } from './datasets';
import {
  DailyAgreesQuery,
  EXPORT_FORMATS,
  TopicPartsExportQuery,
  TopicsExportQuery,
} from './dto/open-data.dto';
import { ExportWriter } from './export-writer';
import { OpenDataIndexSchema, type OpenDataIndexView, recordSchema } from './open-data.openapi';
import { OpenDataService } from './open-data.service';

const CSV = {
  mediaType: 'text/csv',
  description:
    'With `format=csv`: RFC 4180, UTF-8 with a byte-order mark, a header line, CRLF line ends.',
};

/**
 * Open data: public exports for anyone, no token. One route per dataset
 * (`/open-data/<dataset>`); a dataset added later (budget results) is one more route and one
 * more entry of DATASETS. docs/open-data.md describes every column.
 */
@ApiTags('open-data')
@Public()
@Controller('open-data')
export class OpenDataController {
  constructor(
    private readonly openData: OpenDataService,
    private readonly writer: ExportWriter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiDoc({
    summary: 'The open-data sets, their columns and licence',
    status: 200,
    type: OpenDataIndexSchema,
  })
  index(): OpenDataIndexView {
    return {
      licence: this.config.OPEN_DATA_LICENSE ?? null,
      datasets: DATASETS.map((d) => ({
        name: d.name,
        title: d.title,
        description: d.description,
        path: `/api/v1/open-data/${d.name}`,
        formats: [...EXPORT_FORMATS],
        columns: d.columns.map((c) => ({ ...c })),
      })),
    };
  }

  @Get(TOPICS.name)
  @ApiProduces('application/json', 'text/csv')
  @ApiDoc({
    summary: 'Export the topics, with their counts and milestones',
    status: 200,
    type: [recordSchema(TOPICS, 'OpenDataTopic')],
    alternative: CSV,
    problems: { 404: ['not_found'] },
  })
  topics(@Query() query: TopicsExportQuery, @Res() res: Response): Promise<void> {
    return this.writer.send(res, TOPICS, query.format, this.openData.topics(query));
  }

  @Get(TOPIC_TIMELINE.name)
  @ApiProduces('application/json', 'text/csv')
  @ApiDoc({
    summary: 'Export the public timelines of the topics',
    status: 200,
    type: [recordSchema(TOPIC_TIMELINE, 'OpenDataTimelineEvent')],
    alternative: CSV,
    problems: { 404: ['not_found'] },
  })
  timeline(@Query() query: TopicPartsExportQuery, @Res() res: Response): Promise<void> {
    return this.writer.send(res, TOPIC_TIMELINE, query.format, this.openData.timeline(query));
  }

  @Get(COMMENTS.name)
  @ApiProduces('application/json', 'text/csv')
  @ApiDoc({
    summary: 'Export the comments (hidden and deleted ones without their text)',
    status: 200,
    type: [recordSchema(COMMENTS, 'OpenDataComment')],
    alternative: CSV,
    problems: { 404: ['not_found'] },
  })
  comments(@Query() query: TopicPartsExportQuery, @Res() res: Response): Promise<void> {
    return this.writer.send(res, COMMENTS, query.format, this.openData.comments(query));
  }

  @Get(DAILY_AGREES.name)
  @ApiProduces('application/json', 'text/csv')
  @ApiDoc({
    summary: 'Export the agrees with each topic, day by day',
    status: 200,
    type: [recordSchema(DAILY_AGREES, 'OpenDataDailyAgrees')],
    alternative: CSV,
    problems: { 404: ['not_found'] },
  })
  dailyAgrees(@Query() query: DailyAgreesQuery, @Res() res: Response): Promise<void> {
    return this.writer.send(res, DAILY_AGREES, query.format, this.openData.dailyAgrees(query));
  }
}
