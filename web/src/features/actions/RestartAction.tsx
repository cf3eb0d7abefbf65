import type { ObjectContext } from '../details/tabs';
import { usePatchAction } from './usePatchAction';

/** kubectl's RFC 3339 time, to the second. */
export const restartedAt = (now: Date) => now.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * `kubectl rollout restart`: a strategic merge patch setting kubectl.kubernetes.io/restartedAt
 * on the pod template (refused for a paused Deployment, as kubectl refuses it).
 */
export function RestartAction(ctx: ObjectContext) {
  const { allowed, mutation } = usePatchAction(ctx, { type: 'strategic' });
  if (!allowed) return null;
  const paused = (ctx.object.spec as { paused?: boolean } | undefined)?.paused === true;
  const restart = () =>
    mutation.mutate({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt(new Date()) } } } } });
  return (
    <>
      <button
        type="button"
        data-testid="restart-button"
        disabled={mutation.isPending || paused}
        title={paused ? "can't restart paused deployment (run rollout resume first)" : undefined}
        onClick={restart}
      >
        {mutation.isSuccess ? 'Restarted' : 'Restart'}
      </button>
      {mutation.error && <span className="action-error">{mutation.error.message}</span>}
    </>
  );
}
