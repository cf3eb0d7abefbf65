import type { ApplyConflict } from './conflicts';

/** The fields a server-side apply would take from other field managers. */
export function ConflictTable({ conflicts, testId }: { conflicts: readonly ApplyConflict[]; testId: string }) {
  return (
    <table className="simple" data-testid={testId}>
      <thead>
        <tr>
          <th>Field</th>
          <th>Owned by field manager</th>
        </tr>
      </thead>
      <tbody>
        {conflicts.map((c) => (
          <tr key={`${c.field}/${c.manager}`} data-testid="conflict">
            <td className="mono">{c.field}</td>
            <td>
              <strong>{c.manager}</strong>
              {c.detail ? ` (${c.detail})` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
