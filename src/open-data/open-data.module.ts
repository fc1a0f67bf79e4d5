import { Module } from '@nestjs/common';
import { ExportWriter } from './export-writer';
import { OpenDataController } from './open-data.controller';
import { OpenDataService } from './open-data.service';

@Module({
  controllers: [OpenDataController],
  providers: [OpenDataService, ExportWriter],
  exports: [ExportWriter],
})
export class OpenDataModule {}
