/**
 * Log search: a case-insensitive substring, or a regular expression written `/pattern/`
 * (like the hub's server-side `filter`). Invalid patterns are reported, never thrown.
 */
export interface LogSearch {
  readonly regex: RegExp | null;
  readonly error: string | null;
}

export interface Segment {
  text: string;
  match: boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileSearch(query: string): LogSearch {
  if (query === '') return { regex: null, error: null };
  const slashed = query.length >= 2 && query.startsWith('/') && query.endsWith('/');
  try {
    return { regex: new RegExp(slashed ? query.slice(1, -1) : escape(query), 'gi'), error: null };
  } catch (e) {
    return { regex: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Splits `text` into matching and non-matching runs; empty matches are skipped. */
export function highlight(text: string, search: LogSearch): Segment[] {
  const { regex } = search;
  if (!regex) return [{ text, match: false }];
  const segments: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(regex)) {
    const start = m.index ?? 0;
    if (m[0].length === 0) continue;
    if (start > last) segments.push({ text: text.slice(last, start), match: false });
    segments.push({ text: m[0], match: true });
    last = start + m[0].length;
  }
  if (last < text.length || segments.length === 0) segments.push({ text: text.slice(last), match: false });
  return segments;
}

export function matches(text: string, search: LogSearch): boolean {
  if (!search.regex) return true;
  return highlight(text, search).some((s) => s.match);
}
