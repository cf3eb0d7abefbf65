import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/States';
import type { ObjectContext } from '../details/tabs';
import { usePatchAction } from './usePatchAction';

/** `kubectl scale`: a merge patch of spec.replicas on the scale subresource (Deployments, StatefulSets, ReplicaSets). */
export function ScaleAction(ctx: ObjectContext) {
  const { allowed, mutation } = usePatchAction(ctx, { subresource: 'scale' });
  const current = Number((ctx.object.spec as { replicas?: number } | undefined)?.replicas ?? 1);
  const [draft, setDraft] = useState<number | null>(null);
  if (!allowed) return null;
  return (
    <>
      <button type="button" data-testid="scale-button" onClick={() => setDraft(current)}>
        Scale ({current})
      </button>
      {draft !== null && (
        <ConfirmDialog
          title={`Scale ${ctx.object.metadata.name}`}
          confirmLabel="Scale"
          busy={mutation.isPending}
          onConfirm={() => mutation.mutate({ spec: { replicas: draft } }, { onSuccess: () => setDraft(null) })}
          onClose={() => setDraft(null)}
        >
          <label>
            Replicas{' '}
            <input type="number" min={0} data-testid="scale-replicas" value={draft} onChange={(e) => setDraft(Math.max(0, Number(e.target.value)))} />
          </label>
          {mutation.error && <ErrorMessage error={mutation.error} />}
        </ConfirmDialog>
      )}
    </>
  );
}
