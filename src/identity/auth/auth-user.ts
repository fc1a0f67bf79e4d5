/** The signed-in caller: defined in core, which carries it through requests and sockets. */
export { type AuthUser, isAdmin } from '../../core/auth/auth-user';
