import { request } from './http';

/** One entry of GET /api/v1/audit (a mutation through the resource API, or a terminal: verb exec). */
export interface AuditEntry {
  id: number;
  time: string;
  user: string;
  cluster: string;
  verb: string;
  resource: string;
  namespace?: string | null;
  name?: string | null;
  /** success, denied, error NNN, exit N... */
  result: string;
  /** A terminal's container, command, transport and `recording` id, kubecube's fields... */
  details?: Record<string, string> | null;
}

export interface AuditPage {
  items: AuditEntry[];
  continue: string | null;
}

/** The filters GET /api/v1/audit takes; since/until are RFC 3339 times. */
export const auditFilterNames = ['user', 'cluster', 'verb', 'resource', 'namespace', 'result', 'since', 'until'] as const;
export type AuditFilters = Partial<Record<(typeof auditFilterNames)[number], string>>;

export function fetchAudit(filters: AuditFilters, options: { continue?: string; limit?: number; signal?: AbortSignal } = {}): Promise<AuditPage> {
  const params = new URLSearchParams();
  for (const name of auditFilterNames) if (filters[name]) params.set(name, filters[name]!);
  params.set('limit', String(options.limit ?? 100));
  if (options.continue) params.set('continue', options.continue);
  return request<AuditPage>(`/api/v1/audit?${params}`, { signal: options.signal });
}

/** A terminal's asciicast v2 recording, as text (as far as it is written while the terminal runs). */
export const fetchRecording = (id: string) => request<string>(`/api/v1/terminal/recordings/${encodeURIComponent(id)}`, { accept: 'application/x-asciicast' });
