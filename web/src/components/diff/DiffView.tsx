import { hunks, lineDiff } from './lineDiff';
import './DiffView.css';

/** A unified diff of two texts, changed lines with context. */
export function DiffView({ before, after }: { before: string; after: string }) {
  const lines = hunks(lineDiff(before, after));
  if (lines.length === 0) return <div className="diff-none">No changes.</div>;
  return (
    <pre className="diff" data-testid="yaml-diff">
      {lines.map((l, k) =>
        l === '…' ? (
          <div key={k} className="diff-gap">
            …
          </div>
        ) : (
          <div key={k} className={l.op === '+' ? 'diff-add' : l.op === '-' ? 'diff-del' : undefined}>
            {l.op} {l.text}
          </div>
        ),
      )}
    </pre>
  );
}
