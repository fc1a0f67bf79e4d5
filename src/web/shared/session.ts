import { Api, ApiError } from './api';
import { safeStorage, Store } from './store';
import { type Me } from './types';

export interface Session {
  token: string;
  user: Me;
}

/**
 * Who is signed in. The token is a bearer token kept in this origin's storage (or only in
 * memory where storage is refused); no cookie is ever used, so the embed needs none.
 */
export class SessionStore extends Store<Session | null> {
  readonly api = new Api(() => this.get()?.token ?? null);

  constructor(private readonly storageKey: string | null) {
    super(null);
  }

  /**
   * Restores a saved token and checks it against /me. Only the server's word that the token is
   * no good (401: revoked, expired) signs out; a check cut short (the reader moving to another
   * page before /me answered, the network down) keeps the token for the next page.
   */
  async restore(): Promise<void> {
    const token = this.storageKey ? safeStorage.get(this.storageKey) : null;
    if (!token) return;
    await this.adopt(token).catch(async (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) await this.signOut(false);
    });
  }

  async adopt(token: string): Promise<Me> {
    const api = new Api(() => token);
    const user = await api.get<Me>('/me');
    if (this.storageKey) safeStorage.set(this.storageKey, token);
    this.set({ token, user });
    return user;
  }

  async signIn(email: string, password: string): Promise<Me> {
    const { accessToken } = await this.api.post<{ accessToken: string }>('/auth/login', {
      email,
      password,
    });
    return this.adopt(accessToken);
  }

  async register(email: string, password: string, displayName: string): Promise<Me> {
    const { accessToken } = await this.api.post<{ accessToken: string }>('/auth/register', {
      email,
      password,
      displayName,
    });
    return this.adopt(accessToken);
  }

  /** Signs out here; `everywhere` also revokes every token of the user on the server. */
  async signOut(everywhere = true): Promise<void> {
    if (everywhere && this.get()) await this.api.post('/auth/logout').catch(() => undefined);
    if (this.storageKey) safeStorage.set(this.storageKey, null);
    this.set(null);
  }

  facilitates(spaceId: string): boolean {
    const user = this.get()?.user;
    return !!user && (user.role === 'admin' || user.spaces.some((s) => s.spaceId === spaceId));
  }
}
