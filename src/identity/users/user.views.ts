import { type UserView } from '../dto/user.dto';
import { type User } from './user.entity';

export const toUserView = (user: User): UserView => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
  role: user.role,
  createdAt: user.createdAt.toISOString(),
});
