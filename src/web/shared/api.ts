import { lang } from './i18n';

/**
 * Every HTTP call of the pages: JSON in, JSON out, problem+json turned into ApiError. The
 * server writes its messages in the language asked for, so a refusal reads in the page's.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export type TokenSource = () => string | null;

export class Api {
  constructor(
    private readonly token: TokenSource,
    private readonly base = '/api/v1',
  ) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }
  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body);
  }
  delete<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path);
  }
  /** A body that is not JSON (a CSV roll), sent as it is with its media type. */
  putText<T>(path: string, body: string, type: string): Promise<T> {
    return this.call<T>('PUT', path, body, type);
  }

  private async call<T>(method: string, path: string, body?: unknown, type?: string): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': lang.get(),
    };
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = type ?? 'application/json';
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers,
        body:
          body === undefined
            ? undefined
            : typeof body === 'string' && type
              ? body
              : JSON.stringify(body),
        credentials: 'omit',
      });
    } catch {
      throw new ApiError(0, 'network', 'network');
    }
    if (res.status === 204) return undefined as T;
    const data: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const p = (data ?? {}) as {
        code?: string;
        detail?: string;
        title?: string;
        errors?: { field: string; message: string }[];
      };
      throw new ApiError(
        res.status,
        p.code ?? 'error',
        p.detail ?? p.title ?? res.statusText,
        p.errors ?? [],
      );
    }
    return data as T;
  }
}

/** A query string from defined values only. */
export const query = (params: Record<string, string | number | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};
