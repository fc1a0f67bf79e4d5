/**
 * The embed's postMessage protocol. Every message is checked by exact origin and by source
 * window on receipt, and sent with an explicit targetOrigin, never '*'.
 */
export const TOKEN_MESSAGE = 'madang:token';
export const RESIZE_MESSAGE = 'madang:resize';

export interface TokenMessage {
  type: typeof TOKEN_MESSAGE;
  token: string;
}

export const isTokenMessage = (data: unknown): data is TokenMessage =>
  !!data &&
  typeof data === 'object' &&
  (data as { type?: unknown }).type === TOKEN_MESSAGE &&
  typeof (data as { token?: unknown }).token === 'string' &&
  (data as { token: string }).token.length < 4096;
