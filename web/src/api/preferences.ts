import { request } from './http';

/** GET/PUT /api/v1/me/preferences; PUT changes only the fields it carries (null resets one). */
export interface Preferences {
  theme: 'system' | 'light' | 'dark';
  defaultNamespace: string | null;
  defaultCluster: string | null;
  /** The namespace selection of the UI; empty means all. */
  namespaces: string[];
  pageSize: number;
  timeFormat: 'relative' | 'local' | 'utc';
  favourites: string[];
}

export const fetchPreferences = () => request<Preferences>('/api/v1/me/preferences');

export const updatePreferences = (changes: Partial<Preferences>) =>
  request<Preferences>('/api/v1/me/preferences', { method: 'PUT', body: changes });
