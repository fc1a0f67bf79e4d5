/** The global roles: an administrator reaches everything, a citizen what the spaces allow. */
export const GLOBAL_ROLES = ['citizen', 'admin'] as const;
export type GlobalRole = (typeof GLOBAL_ROLES)[number];

/**
 * Who is calling, as resolved from a valid access token for this request or socket. Core
 * carries it (requests, socket data, rate limits); identity/ makes it from a token.
 */
export interface AuthUser {
  id: string;
  role: GlobalRole;
  displayName: string;
}

export const isAdmin = (auth: AuthUser | undefined): boolean => auth?.role === 'admin';

/** What turns an access token into its user (identity/'s TokenService), for the socket handshake. */
export interface TokenVerifier {
  verify(token: string): Promise<AuthUser>;
}
