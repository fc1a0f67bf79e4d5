import { Body, Controller, Get, Patch, Put } from '@nestjs/common';
import { AuthRateLimit } from '../../core/http/rate-limit/rate-limit';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../core/http/validation';
import { type AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import {
  type AuthResult,
  ChangePasswordDto,
  type MeView,
  SetRoleDto,
  UpdateMeDto,
  type UserView,
} from '../dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('identity')
@ApiBearerAuth()
@Controller()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
  ) {}

  @Get('me')
  me(@CurrentUser() user: AuthUser): Promise<MeView> {
    return this.users.me(user);
  }

  @Patch('me')
  updateMe(@CurrentUser() user: AuthUser, @Body() dto: UpdateMeDto): Promise<MeView> {
    return this.users.updateMe(user, dto);
  }

  /** Checks the current password; every other session ends, the answer has a new token. */
  @Put('me/password')
  @AuthRateLimit()
  changePassword(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
  ): Promise<AuthResult> {
    return this.auth.changePassword(user, dto);
  }

  @Patch('users/:id/role')
  setRole(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: SetRoleDto,
  ): Promise<UserView> {
    return this.users.setRole(user, id, dto.role);
  }
}
