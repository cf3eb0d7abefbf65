import { errorFrom } from './errors';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A JSON value (sent as application/json) or a string sent with `contentType`. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
}

/**
 * fetch for Porthole's API: same-origin cookies, `X-Requested-With` on every mutation (the
 * server's CSRF rule), errors thrown as ApiError with the server's own message.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
  let body: string | undefined;
  if (method !== 'GET') headers['X-Requested-With'] = 'porthole';
  if (options.body !== undefined) {
    const raw = typeof options.body === 'string' && options.contentType;
    headers['Content-Type'] = options.contentType ?? 'application/json';
    body = raw ? (options.body as string) : JSON.stringify(options.body);
  }
  const response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal });
  const text = await response.text();
  if (!response.ok) throw errorFrom(response.status, response.statusText, text);
  if (!text) return undefined as T;
  return (response.headers.get('Content-Type') ?? '').includes('json') ? (JSON.parse(text) as T) : (text as T);
}
