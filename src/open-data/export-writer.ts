import { Inject, Injectable } from '@nestjs/common';
import { type Response } from 'express';
import { LOGGER } from '../core/logging/logging.module';
import { type Logger } from '../core/logging/logger';
import { csvHeader, csvRecord, jsonRecord, type Row } from './csv';
import { type Dataset } from './datasets';
import { type ExportFormat } from './dto/open-data.dto';

/** Spreadsheet programs read a CSV file as UTF-8 (and so read Korean right) only after this. */
const BOM = '\uFEFF';

/**
 * Streams a dataset to the client batch by batch, waiting whenever the client reads slower than
 * the database answers, so memory holds one batch whatever the size of the export.
 */
@Injectable()
export class ExportWriter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  async send(
    res: Response,
    dataset: Dataset,
    format: ExportFormat = 'json',
    batches: AsyncGenerator<Row[]>,
  ): Promise<void> {
    // The first batch is read before any byte is sent: a refusal (an unknown space, a bad
    // range) or a failure (no database connection) is then still a problem+json answer.
    let next = await batches.next();
    let closed = false;
    res.once('close', () => (closed = true));
    const write = async (chunk: string): Promise<void> => {
      if (res.write(chunk) || closed) return;
      // Whichever comes first; the other listener goes too, or a long export would pile them up.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    };

    res.status(200);
    if (format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
      res.setHeader('Content-Disposition', `attachment; filename="madang-${dataset.name}.csv"`);
    } else {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
    }
    try {
      await write(format === 'csv' ? `${BOM}${csvHeader(dataset.columns)}` : '[');
      let first = true;
      while (!next.done) {
        const records = next.value.map((row) =>
          format === 'csv' ? csvRecord(dataset.columns, row) : jsonRecord(dataset.columns, row),
        );
        const chunk =
          format === 'csv' ? records.join('') : `${first ? '' : ','}\n${records.join(',\n')}`;
        first = false;
        await write(chunk);
        if (closed) {
          // The client went away: stop reading the database.
          await batches.return(undefined);
          return;
        }
        next = await batches.next();
      }
      res.end(format === 'csv' ? '' : '\n]\n');
    } catch (err) {
      // Headers are gone: the transfer is cut off rather than ended, so that what the client
      // has can never pass for a complete file.
      this.logger.error({ err, dataset: dataset.name }, 'open-data export failed part-way');
      res.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
