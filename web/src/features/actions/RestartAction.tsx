import type { ObjectContext } from '../details/tabs';
import { usePatchAction } from './usePatchAction';

/** Rolling restart as kubectl does it: a new kubectl.kubernetes.io/restartedAt on the pod template. */
export function RestartAction(ctx: ObjectContext) {
  const { allowed, mutation } = usePatchAction(ctx);
  if (!allowed) return null;
  const restart = () =>
    mutation.mutate({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } });
  return (
    <>
      <button type="button" data-testid="restart-button" disabled={mutation.isPending} onClick={restart}>
        {mutation.isSuccess ? 'Restarted' : 'Restart'}
      </button>
      {mutation.error && <span className="action-error">{mutation.error.message}</span>}
    </>
  );
}
