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
import { UsersRepository } from './users/users.repository';
import { AuditRepository } from '../moderation/audit.repository';
import { AuditService } from '../moderation/audit.service';
import { SpacesModule } from '../spaces/spaces.module';

@Module({
  imports: [JwtModule.register({}), SpacesModule],
  controllers: [AuthController, UsersController],
  // AuditService and its repository are stateless: their own instances here keep this module
  // free of ModerationModule.
  providers: [
    UsersRepository,
    AuthService,
    TokenService,
    PasswordHasher,
    UsersService,
    AdminAccounts,
    AuthGuard,
    AuditRepository,
    AuditService,
  ],
  exports: [UsersRepository, TokenService, UsersService, AdminAccounts, AuthGuard, PasswordHasher],
})
export class IdentityModule {}
