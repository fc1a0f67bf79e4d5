import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../core/http/validation';
import { ApiDoc } from '../../core/openapi/api-doc';
import { type AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { type MeView, SetRoleDto, type UserView } from '../dto/user.dto';
import { MeSchema, UserSchema } from '../identity.openapi';
import { UsersService } from './users.service';

@ApiTags('identity')
@ApiBearerAuth()
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

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
