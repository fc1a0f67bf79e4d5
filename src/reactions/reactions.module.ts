import { Module } from '@nestjs/common';
import { ModerationModule } from '../moderation/moderation.module';
import { TopicsModule } from '../topics/topics.module';
import { AgreesController } from './agrees.controller';
import { AgreesService } from './agrees.service';

@Module({
  imports: [ModerationModule, TopicsModule],
  controllers: [AgreesController],
  providers: [AgreesService],
  exports: [AgreesService],
})
export class ReactionsModule {}
