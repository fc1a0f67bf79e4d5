import { type ExtendedError, type Socket } from 'socket.io';
import { Problem } from '../http/problem';
import { type TokenVerifier } from '../auth/auth-user';
import { isExactOrigin } from '../http/exact-origin';
import { type LiveSocketData, Rooms } from './live-socket';

type HandshakeError = ExtendedError & { data: { code: string } };

const refuse = (code: string, message: string): HandshakeError =>
  Object.assign(new Error(message), { data: { code } });

/**
 * Socket.IO middleware for the live namespace: a token in `auth.token` must be valid (the
 * handshake is refused with `connect_error` and `data.code` otherwise); no token makes a
 * read-only viewer. Runs in the adapter, not in Nest guards, because guards do not cover the
 * connection itself.
 */
export function socketAuth(tokens: TokenVerifier) {
  return (socket: Socket, next: (err?: ExtendedError) => void): void => {
    const auth = socket.handshake.auth as { token?: unknown; embed?: unknown } | undefined;
    const token = auth?.token;
    const data = socket.data as LiveSocketData;
    if (auth?.embed !== undefined) {
      if (!isExactOrigin(auth.embed)) {
        next(refuse('invalid_embed', 'auth.embed must be the exact origin of the embedding page.'));
        return;
      }
      data.embedOrigin = auth.embed as string;
    }
    if (token === undefined || token === null || token === '') {
      next();
      return;
    }
    if (typeof token !== 'string' || token.length > 4096) {
      next(refuse('unauthorized', 'The access token is not valid.'));
      return;
    }
    tokens.verify(token).then(
      (user) => {
        data.user = user;
        // Every socket of a user shares a room, so "close all of this user's sockets" is one
        // broadcast that the adapter carries to every node.
        void socket.join(Rooms.user(user.id));
        next();
      },
      (error: unknown) => {
        if (error instanceof Problem) next(refuse(error.code, error.detail));
        else next(refuse('internal_error', 'The connection could not be checked.'));
      },
    );
  };
}
