import { hunks, lineDiff } from './lineDiff';
import './DiffView.css';

/** A unified diff of two texts, changed lines with context. */
export function DiffView({ before, after, testId = 'yaml-diff' }: { before: string; after: string; testId?: string }) {
  const lines = hunks(lineDiff(before, after));
  if (lines.length === 0) return <div className="diff-none" data-testid={testId}>No changes.</div>;
  return (
    <pre className="diff" data-testid={testId}>
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
