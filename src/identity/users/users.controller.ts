import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../core/http/validation';
import { type AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { type MeView, SetRoleDto, type UserView } from '../dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('identity')
@ApiBearerAuth()
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  me(@CurrentUser() user: AuthUser): Promise<MeView> {
    return this.users.me(user);
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
