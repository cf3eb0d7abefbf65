import type { ObjectContext } from '../details/tabs';
import { usePatchAction } from './usePatchAction';

/** `kubectl rollout pause` / `resume` of a Deployment: the strategic merge patches kubectl sends. */
export function PauseAction(ctx: ObjectContext) {
  const { allowed, mutation } = usePatchAction(ctx, { type: 'strategic' });
  if (!allowed) return null;
  const paused = (ctx.object.spec as { paused?: boolean } | undefined)?.paused === true;
  return (
    <>
      <button
        type="button"
        data-testid={paused ? 'resume-button' : 'pause-button'}
        disabled={mutation.isPending}
        onClick={() => mutation.mutate({ spec: { paused: paused ? null : true } })}
      >
        {paused ? 'Resume rollout' : 'Pause rollout'}
      </button>
      {mutation.error && <span className="action-error">{mutation.error.message}</span>}
    </>
  );
}
