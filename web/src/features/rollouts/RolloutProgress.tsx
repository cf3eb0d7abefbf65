import type { KubeObject } from '../../api/kube';
import { rolloutStatus } from './rolloutStatus';
import type { WorkloadKind } from './workloadKind';

const tone = { complete: 'tone-ok', failed: 'tone-bad', paused: 'tone-warn', progressing: 'tone-warn', unsupported: '' } as const;
const label = { complete: 'Complete', failed: 'Failed', paused: 'Paused', progressing: 'Progressing', unsupported: 'Unknown' } as const;

/** Live rollout progress: kubectl's verdict, the counts it reads, and the conditions. */
export function RolloutProgress({ kind, object }: { kind: WorkloadKind; object: KubeObject }) {
  const status = rolloutStatus(kind, object);
  const conditions = ((object.status as { conditions?: { type: string; status: string; reason?: string; message?: string }[] } | undefined)?.conditions ?? []);
  return (
    <section className="rollout-progress" data-testid="rollout-progress">
      <div className="rollout-verdict">
        <span className={`rollout-state ${tone[status.state]}`} data-testid="rollout-state" data-state={status.state}>
          {label[status.state]}
        </span>
        <span data-testid="rollout-message">{status.message}</span>
      </div>
      <dl className="rollout-counts" data-testid="rollout-counts">
        {(['desired', 'updated', 'ready', 'available'] as const).map((k) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd data-testid={`rollout-${k}`}>{status[k]}</dd>
          </div>
        ))}
      </dl>
      {conditions.length > 0 && (
        <ul className="rollout-conditions">
          {conditions.map((c) => (
            <li key={c.type} className={c.reason === 'ProgressDeadlineExceeded' || c.status === 'False' ? 'tone-bad' : undefined}>
              <strong>{c.type}</strong> {c.status}
              {c.reason ? ` · ${c.reason}` : ''}
              {c.message ? `: ${c.message}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
