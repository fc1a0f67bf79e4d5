import { Global, Module } from '@nestjs/common';
import { IdentityModule } from '../../identity/identity.module';
import { LiveHandler } from './live-handler';
import { LiveServer } from './live-server';
import { OriginPolicy } from './origin-policy';
import { SessionCloser } from './session-closer';

@Global()
@Module({
  imports: [IdentityModule],
  providers: [LiveServer, LiveHandler, OriginPolicy, SessionCloser],
  exports: [LiveServer, LiveHandler, OriginPolicy],
})
export class RealtimeModule {}
