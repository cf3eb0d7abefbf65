import { ApiError } from './errors';
import { request } from './http';

export type AuthMode = 'none' | 'local' | 'token' | 'oidc' | 'proxy';

/** GET /api/v1/auth/me (also the answer of login and context switch). */
export interface Me {
  user: string;
  groups: string[];
  cluster: string | null;
  mode: AuthMode;
  /** A member of PORTHOLE_ADMIN_GROUP: may read the audit log and every terminal recording. */
  admin: boolean;
  /** PORTHOLE_READ_ONLY: the server refuses every change, so the UI offers none. */
  readOnly: boolean;
}

/** Who is signed in, or the auth mode to sign in with (from the 401's `authMode`). */
export type Session = { signedIn: true; me: Me } | { signedIn: false; mode: AuthMode };

export async function fetchSession(): Promise<Session> {
  try {
    return { signedIn: true, me: await request<Me>('/api/v1/auth/me') };
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      return { signedIn: false, mode: (e.extra.authMode as AuthMode | undefined) ?? 'local' };
    }
    throw e;
  }
}

export const login = (body: { username: string; password: string } | { token: string }) =>
  request<Me>('/api/v1/auth/login', { method: 'POST', body });

export const logout = () => request<void>('/api/v1/auth/logout', { method: 'POST' });

export const switchCluster = (cluster: string) => request<Me>('/api/v1/auth/context', { method: 'PUT', body: { cluster } });

export const oidcStartUrl = (returnTo: string) => `/api/v1/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`;
