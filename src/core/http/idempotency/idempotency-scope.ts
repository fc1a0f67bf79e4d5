import { AsyncLocalStorage } from 'node:async_hooks';

/** The Idempotency-Key a request is running under, for the transaction that does its work. */
export interface IdempotencyScope {
  userId: string;
  key: string;
  /** The claim's owner token: marking the key checks it is still this request's. */
  owner: string;
  /** Set once the key has been marked in a business transaction. */
  marked: boolean;
}

export const idempotencyScope = new AsyncLocalStorage<IdempotencyScope>();
