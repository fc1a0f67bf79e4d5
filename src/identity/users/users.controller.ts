import { Body, Controller, Get, Patch, Put, Query } from '@nestjs/common';
import { type Page } from '../../core/http/pagination';
import { AuthRateLimit } from '../../core/http/rate-limit/rate-limit';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../core/http/validation';
import { ApiDoc, pageOf } from '../../core/openapi/api-doc';
import { type AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import {
  type AuthResult,
  ChangePasswordDto,
  type MeView,
  SetRoleDto,
  UpdateMeDto,
  UserSearchQuery,
  type UserView,
} from '../dto/user.dto';
import { AuthResultSchema, MeSchema, UserSchema } from '../identity.openapi';
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
  @ApiDoc({
    summary: 'The signed-in user',
    description: 'With their global role and the spaces they facilitate.',
    status: 200,
    type: MeSchema,
  })
  me(@CurrentUser() user: AuthUser): Promise<MeView> {
    return this.users.me(user);
  }

  @Patch('me')
  @ApiDoc({ summary: 'Change your display name', status: 200, type: MeSchema })
  updateMe(@CurrentUser() user: AuthUser, @Body() dto: UpdateMeDto): Promise<MeView> {
    return this.users.updateMe(user, dto);
  }

  /** Checks the current password; every other session ends, the answer has a new token. */
  @Put('me/password')
  @AuthRateLimit()
  @ApiDoc({
    summary: 'Change your password',
    description:
      'Checks the current password; every other session ends, and the answer carries a new token.',
    status: 200,
    type: AuthResultSchema,
  })
  changePassword(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
  ): Promise<AuthResult> {
    return this.auth.changePassword(user, dto);
  }

  @Get('users')
  @ApiDoc({
    summary: 'Search people',
    description:
      'Administrators only: by part of the email or display name (`q`) and by role, ordered by email.',
    status: 200,
    type: pageOf(UserSchema, 'User'),
    problems: { 403: ['forbidden'] },
  })
  search(@CurrentUser() user: AuthUser, @Query() query: UserSearchQuery): Promise<Page<UserView>> {
    return this.users.search(user, query);
  }

  @Patch('users/:id/role')
  @ApiDoc({
    summary: "Change a user's global role",
    description: 'Administrators only; the last administrator cannot be demoted.',
    status: 200,
    type: UserSchema,
    problems: { 403: ['forbidden'], 404: ['not_found'], 409: ['conflict'] },
  })
  setRole(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: SetRoleDto,
  ): Promise<UserView> {
    return this.users.setRole(user, id, dto.role);
  }
}
