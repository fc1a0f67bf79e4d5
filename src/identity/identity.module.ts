import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { PasswordHasher } from './auth/password-hasher';
import { TokenService } from './auth/token.service';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { AdminAccounts } from './users/admin-accounts';
import { AuditService } from '../moderation/audit.service';

@Module({
  imports: [JwtModule.register({})],
  controllers: [AuthController, UsersController],
  // AuditService is stateless: its own instance here keeps this module free of ModerationModule.
  providers: [
    AuthService,
    TokenService,
    PasswordHasher,
    UsersService,
    AdminAccounts,
    AuthGuard,
    AuditService,
  ],
  exports: [TokenService, UsersService, AdminAccounts, AuthGuard, PasswordHasher],
})
export class IdentityModule {}
