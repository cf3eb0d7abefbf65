import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { auditFilterNames, fetchAudit, type AuditEntry, type AuditFilters } from '../../api/audit';
import { recordingPath } from '../../app/routes';
import { Empty, ErrorMessage, Loading } from '../../components/States';
import { filtersFromSearch, localToRfc3339, recordingOf, withHead, withOlder, type AuditView } from './auditView';
import './audit.css';

const pollMs = 2000;
const verbs = ['create', 'update', 'patch', 'delete', 'deletecollection', 'exec'];

/**
 * GET /api/v1/audit for admins: the filters in the URL (shareable), newest first, live (the
 * newest page is asked again every 2 s and new entries go on top), older pages on demand.
 * Terminal entries link to their recording. A non-admin gets the server's refusal.
 */
export function AuditPage({ cluster }: { cluster: string }) {
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const limit = Math.min(1000, Math.max(1, Number(search.get('limit')) || 100));
  const key = JSON.stringify([filters, limit]);
  const head = useQuery({ queryKey: ['audit', key], queryFn: ({ signal }) => fetchAudit(filters, { limit, signal }), refetchInterval: pollMs, retry: false });
  const [view, setView] = useState<{ key: string; view: AuditView } | null>(null);
  const [older, setOlder] = useState<{ loading: boolean; error?: Error }>({ loading: false });
  useEffect(() => {
    if (head.data) setView((v) => ({ key, view: withHead(v?.key === key ? v.view : null, head.data) }));
  }, [head.data, key]);
  const current = view?.key === key ? view.view : null;

  const loadOlder = async () => {
    if (!current?.continue) return;
    setOlder({ loading: true });
    try {
      const page = await fetchAudit(filters, { limit, continue: current.continue });
      setView((v) => (v && v.key === key ? { key, view: withOlder(v.view, page) } : v));
      setOlder({ loading: false });
    } catch (e) {
      setOlder({ loading: false, error: e as Error });
    }
  };

  return (
    <section className="audit-page" data-testid="audit-page">
      <h1>Audit log</h1>
      <FilterForm
        filters={filters}
        onApply={(next) => {
          const params = new URLSearchParams();
          for (const name of auditFilterNames) if (next[name]) params.set(name, next[name]!);
          if (search.get('limit')) params.set('limit', search.get('limit')!);
          setSearch(params);
        }}
      />
      {head.error && <ErrorMessage error={head.error} />}
      {!current && !head.error && <Loading label="Loading the audit log…" />}
      {current && current.entries.length === 0 && <Empty>No audit entries match.</Empty>}
      {current && current.entries.length > 0 && (
        <>
          <table className="simple" data-testid="audit-table">
            <thead>
              <tr>
                <th>Time</th>
                <th>User</th>
                <th>Cluster</th>
                <th>Verb</th>
                <th>Resource</th>
                <th>Object</th>
                <th>Result</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {current.entries.map((e) => (
                <Row key={e.id} cluster={cluster} entry={e} />
              ))}
            </tbody>
          </table>
          <div className="audit-more">
            <span className="muted" data-testid="audit-count">{`${current.entries.length} shown`}</span>
            {current.continue && (
              <button type="button" data-testid="audit-older" disabled={older.loading} onClick={() => void loadOlder()}>
                Load older
              </button>
            )}
            {older.error && <ErrorMessage error={older.error} />}
          </div>
        </>
      )}
    </section>
  );
}

function Row({ cluster, entry: e }: { cluster: string; entry: AuditEntry }) {
  const recording = recordingOf(e);
  const details = Object.entries(e.details ?? {}).filter(([k]) => k !== 'recording');
  const tone = e.result === 'success' || e.result === 'exit 0' ? undefined : e.result === 'denied' || e.result.startsWith('error') ? 'tone-bad' : 'tone-warn';
  return (
    <tr data-testid={`audit-row-${e.id}`} data-verb={e.verb}>
      <td title={e.time}>{new Date(e.time).toLocaleString()}</td>
      <td>{e.user}</td>
      <td>{e.cluster}</td>
      <td>{e.verb}</td>
      <td>{e.resource}</td>
      <td className="mono">{`${e.namespace ? `${e.namespace}/` : ''}${e.name ?? ''}`}</td>
      <td className={tone}>{e.result}</td>
      <td>
        <div className="audit-details">
          {recording && (
            <Link to={recordingPath(cluster, recording)} data-testid={`audit-recording-${recording}`}>
              ▶ Recording
            </Link>
          )}
          {details.map(([k, v]) => (
            <span key={k} className="chip" title={v}>{`${k}=${v}`}</span>
          ))}
        </div>
      </td>
    </tr>
  );
}

/** The filters of GET /api/v1/audit; applied on submit (not on every keystroke). */
function FilterForm({ filters, onApply }: { filters: AuditFilters; onApply: (f: AuditFilters) => void }) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  const value = (name: string) => draft[name] ?? (name === 'since' || name === 'until' ? toLocalInput(filters[name as 'since']) : (filters[name as 'user'] ?? ''));
  const set = (name: string) => (e: { target: { value: string } }) => setDraft({ ...draft, [name]: e.target.value });
  return (
    <form
      className="audit-filters"
      onSubmit={(e) => {
        e.preventDefault();
        const next: AuditFilters = {};
        for (const name of auditFilterNames) {
          const v = value(name).trim();
          if (v) next[name] = name === 'since' || name === 'until' ? localToRfc3339(v) : v;
        }
        setDraft({});
        onApply(next);
      }}
    >
      {(['user', 'cluster', 'resource', 'namespace', 'result'] as const).map((name) => (
        <input key={name} placeholder={name} aria-label={name} data-testid={`audit-${name}`} value={value(name)} onChange={set(name)} />
      ))}
      <select aria-label="verb" data-testid="audit-verb" value={value('verb')} onChange={set('verb')}>
        <option value="">any verb</option>
        {verbs.map((v) => (
          <option key={v} value={v}>{v}</option>
        ))}
      </select>
      <label>
        since <input type="datetime-local" data-testid="audit-since" value={value('since')} onChange={set('since')} />
      </label>
      <label>
        until <input type="datetime-local" data-testid="audit-until" value={value('until')} onChange={set('until')} />
      </label>
      <button type="submit" className="primary" data-testid="audit-apply">
        Apply
      </button>
    </form>
  );
}

/** An RFC 3339 time as a datetime-local value (local time, minutes). */
function toLocalInput(rfc3339: string | undefined): string {
  if (!rfc3339) return '';
  const t = new Date(rfc3339);
  if (Number.isNaN(t.getTime())) return '';
  const local = new Date(t.getTime() - t.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
