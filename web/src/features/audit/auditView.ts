import { auditFilterNames, type AuditEntry, type AuditFilters, type AuditPage } from '../../api/audit';

/** What the audit page shows: entries newest first, and where the next older page starts. */
export interface AuditView {
  entries: AuditEntry[];
  continue: string | null;
}

/**
 * Folds a fresh newest page (the live poll) into the view: entries newer than the newest shown go
 * on top. When the fresh page does not reach back to what is shown (more new entries than a
 * page), the view restarts from it, so no entry is ever silently skipped between the two.
 */
export function withHead(view: AuditView | null, head: AuditPage): AuditView {
  if (!view || view.entries.length === 0) return { entries: head.items, continue: head.continue };
  const newest = view.entries[0].id;
  const reaches = head.continue === null || head.items.length === 0 || head.items[head.items.length - 1].id <= newest;
  if (!reaches) return { entries: head.items, continue: head.continue };
  const added = head.items.filter((e) => e.id > newest);
  return added.length === 0 ? view : { entries: [...added, ...view.entries], continue: view.continue };
}

/** Appends an older page (fetched with the view's continue). */
export function withOlder(view: AuditView, page: AuditPage): AuditView {
  const oldest = view.entries[view.entries.length - 1]?.id ?? Number.POSITIVE_INFINITY;
  return { entries: [...view.entries, ...page.items.filter((e) => e.id < oldest)], continue: page.continue };
}

/** The filters in a URL query (shareable), empty values left out. */
export function filtersFromSearch(search: URLSearchParams): AuditFilters {
  const filters: AuditFilters = {};
  for (const name of auditFilterNames) {
    const value = search.get(name)?.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

/** A `datetime-local` input's value (local time) as RFC 3339 UTC, or undefined when empty or invalid. */
export function localToRfc3339(value: string): string | undefined {
  if (!value) return undefined;
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString().replace(/\.000Z$/, 'Z');
}

/** The recording id of a terminal entry, if it has one. */
export const recordingOf = (e: AuditEntry): string | undefined => (e.verb === 'exec' ? e.details?.recording?.replace(/\.cast$/, '') || undefined : undefined);
