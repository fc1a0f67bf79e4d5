import { Global, Module } from '@nestjs/common';
import { LiveHandler } from './live-handler';
import { LiveServer } from './live-server';
import { OriginPolicy } from './origin-policy';
import { SessionCloser } from './session-closer';

@Global()
@Module({
  providers: [LiveServer, LiveHandler, OriginPolicy, SessionCloser],
  exports: [LiveServer, LiveHandler, OriginPolicy],
})
export class RealtimeModule {}
