import type { ObjectContext } from '../details/tabs';
import { usePatchAction } from './usePatchAction';

/**
 * A button that turns a boolean spec field on or off with kubectl's strategic merge patch
 * (`{spec: {field: true}}`, then `null`, as kubectl's two-way patch removes it): cordon and
 * uncordon, rollout pause and resume.
 */
export function SpecToggleAction({ ctx, field, on, off }: {
  ctx: ObjectContext;
  field: string;
  /** Label and test id of the button that turns it on (shown while it is off). */
  on: { label: string; testId: string };
  off: { label: string; testId: string };
}) {
  const { allowed, mutation } = usePatchAction(ctx, { type: 'strategic' });
  if (!allowed) return null;
  const set = (ctx.object.spec as Record<string, unknown> | undefined)?.[field] === true;
  const button = set ? off : on;
  return (
    <>
      <button type="button" data-testid={button.testId} disabled={mutation.isPending} onClick={() => mutation.mutate({ spec: { [field]: set ? null : true } })}>
        {button.label}
      </button>
      {mutation.error && <span className="action-error">{mutation.error.message}</span>}
    </>
  );
}
