import { type GlobalRole } from '../users/user.entity';

/** Who is calling, as resolved from a valid access token for this request. */
export interface AuthUser {
  id: string;
  role: GlobalRole;
  displayName: string;
}

export const isAdmin = (auth: AuthUser | undefined): boolean => auth?.role === 'admin';
