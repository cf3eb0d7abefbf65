import { ApiError, statusCauses } from '../../api/errors';

/** One field another field manager owns, from a server-side apply's 409. */
export interface ApplyConflict {
  field: string;
  manager: string;
  /** The rest of the cause ("using v1", "with subresource status"). */
  detail?: string;
}

/**
 * The conflicts of a 409 from a server-side apply: each FieldManagerConflict cause names the
 * field (`.data.greeting`) and, in its message, the manager (`conflict with "kubectl" using v1`).
 * Anything else (not a 409, no causes) has none.
 */
export function applyConflicts(error: unknown): ApplyConflict[] {
  if (!(error instanceof ApiError) || error.status !== 409) return [];
  return statusCauses(error)
    .filter((c) => c.reason === 'FieldManagerConflict')
    .map((c) => {
      const m = /^conflict with "((?:[^"\\]|\\.)*)"\s*(.*)$/.exec(c.message ?? '');
      return { field: c.field ?? '', manager: m ? m[1].replace(/\\(.)/g, '$1') : (c.message ?? ''), detail: m?.[2] || undefined };
    });
}
