import { ApiProperty } from '@nestjs/swagger';
import { Documents } from '../core/openapi/shape';
import { type AuthResult, type MeView, type SpaceRoleView, type UserView } from './dto/user.dto';
import { GLOBAL_ROLES, type GlobalRole } from './users/user.entity';

@Documents<UserView>('User', 'An account, as its owner and administrators see it.')
export class UserSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ enum: GLOBAL_ROLES, enumName: 'GlobalRole' })
  role!: GlobalRole;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

@Documents<SpaceRoleView>('SpaceRole', 'A space where the user is a facilitator.')
export class SpaceRoleSchema {
  @ApiProperty({ format: 'uuid' })
  spaceId!: string;

  @ApiProperty()
  slug!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ['facilitator'] })
  role!: 'facilitator';
}

@Documents<MeView>('Me', 'The signed-in user with the spaces they facilitate.')
export class MeSchema extends UserSchema {
  @ApiProperty({ type: [SpaceRoleSchema] })
  spaces!: SpaceRoleSchema[];
}

@Documents<AuthResult>('AuthResult', 'A signed-in user and their access token.')
export class AuthResultSchema {
  @ApiProperty({ type: UserSchema })
  user!: UserSchema;

  @ApiProperty({ description: 'A JWT (HS256): send it as `Authorization: Bearer <token>`.' })
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'Seconds until the token expires.' })
  expiresIn!: number;
}
