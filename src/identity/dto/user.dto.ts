import { IsIn } from 'class-validator';
import { GLOBAL_ROLES, type GlobalRole } from '../users/user.entity';

export class SetRoleDto {
  @IsIn(GLOBAL_ROLES)
  role!: GlobalRole;
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
