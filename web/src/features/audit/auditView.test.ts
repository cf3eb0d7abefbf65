import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../api/audit';
import { filtersFromSearch, localToRfc3339, recordingOf, withHead, withOlder } from './auditView';

const entry = (id: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({ id, time: '2026-01-01T00:00:00Z', user: 'u', cluster: 'c', verb: 'patch', resource: 'deployments', result: 'success', ...extra });
const ids = (v: { entries: AuditEntry[] }) => v.entries.map((e) => e.id);

describe('withHead', () => {
  it('firstPage_IsTheView', () => {
    expect(withHead(null, { items: [entry(5), entry(4)], continue: '4' })).toEqual({ entries: [entry(5), entry(4)], continue: '4' });
  });

  it('newEntries_GoOnTop_OlderPagesKept', () => {
    const view = withOlder({ entries: [entry(5), entry(4)], continue: '4' }, { items: [entry(3), entry(2)], continue: '2' });
    const next = withHead(view, { items: [entry(7), entry(6), entry(5), entry(4)], continue: '4' });
    expect(ids(next)).toEqual([7, 6, 5, 4, 3, 2]);
    expect(next.continue).toBe('2');
    expect(withHead(next, { items: [entry(7), entry(6)], continue: '6' })).toBe(next);
  });

  it('moreNewEntriesThanAPage_RestartsFromTheFreshPage', () => {
    const view = { entries: [entry(5)], continue: null };
    const next = withHead(view, { items: [entry(300), entry(299)], continue: '299' });
    expect(ids(next)).toEqual([300, 299]);
    expect(next.continue).toBe('299');
  });
});

describe('audit helpers', () => {
  it('withOlder_SkipsWhatIsShown', () => {
    expect(ids(withOlder({ entries: [entry(5), entry(4)], continue: '4' }, { items: [entry(4), entry(3)], continue: null }))).toEqual([5, 4, 3]);
  });

  it('filtersFromSearch_KeepsKnownNonEmptyFilters', () => {
    expect(filtersFromSearch(new URLSearchParams('user=alice&verb=&foo=1&since=2026-01-01T00:00:00Z'))).toEqual({ user: 'alice', since: '2026-01-01T00:00:00Z' });
  });

  it('localToRfc3339_AndRecordingOf', () => {
    expect(localToRfc3339('')).toBeUndefined();
    expect(localToRfc3339('2026-01-31T12:30')).toMatch(/^2026-01-3\dT\d\d:30:00Z$/);
    expect(recordingOf(entry(1, { verb: 'exec', details: { recording: 'abc.cast' } }))).toBe('abc');
    expect(recordingOf(entry(1, { verb: 'exec', details: { recording: 'abc' } }))).toBe('abc');
    expect(recordingOf(entry(1, { details: { recording: 'abc' } }))).toBeUndefined();
  });
});
