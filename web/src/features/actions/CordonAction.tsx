import type { ObjectContext } from '../details/tabs';
import { usePatchAction } from './usePatchAction';

/** `kubectl cordon` / `uncordon`: a strategic merge patch of spec.unschedulable. */
export function CordonAction(ctx: ObjectContext) {
  const { allowed, mutation } = usePatchAction(ctx, { type: 'strategic' });
  if (!allowed) return null;
  const cordoned = (ctx.object.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
  return (
    <>
      <button
        type="button"
        data-testid={cordoned ? 'uncordon-button' : 'cordon-button'}
        disabled={mutation.isPending}
        onClick={() => mutation.mutate({ spec: { unschedulable: cordoned ? null : true } })}
      >
        {cordoned ? 'Uncordon' : 'Cordon'}
      </button>
      {mutation.error && <span className="action-error">{mutation.error.message}</span>}
    </>
  );
}
