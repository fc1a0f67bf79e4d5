import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../core/http/pagination';
import { IsDisplayName } from '../../core/http/text-validators';
import { GLOBAL_ROLES, type GlobalRole } from '../users/user.entity';

/** What a person may change of their own account here: the name shown beside their words. */
export class UpdateMeDto {
  @IsDisplayName()
  displayName!: string;
}

export class ChangePasswordDto {
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  currentPassword!: string;

  /** 8–128 characters, like at registration. */
  @IsString()
  @Length(8, 128)
  newPassword!: string;
}

export class SetRoleDto {
  @IsIn(GLOBAL_ROLES)
  role!: GlobalRole;
}

/** `GET /users`: administrators search people by email or name to give them a role. */
export class UserSearchQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the email or display name.', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ enum: GLOBAL_ROLES })
  @IsOptional()
  @IsIn(GLOBAL_ROLES)
  role?: GlobalRole;
}

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  role: GlobalRole;
  createdAt: string;
}

export interface SpaceRoleView {
  spaceId: string;
  slug: string;
  name: string;
  role: 'facilitator';
}

export interface MeView extends UserView {
  spaces: SpaceRoleView[];
}

export interface AuthResult {
  user: UserView;
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}
