import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { deleteObject } from '../../api/kube';
import { listPath } from '../../app/routes';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/States';
import type { ObjectContext } from '../details/tabs';
import { useCan } from './useCan';

/** Delete with a confirmation naming the object; back to the list afterwards. */
export function DeleteAction({ cluster, gvr, object, kind }: ObjectContext) {
  const { namespace, name } = object.metadata;
  const allowed = useCan(cluster, { verb: 'delete', group: gvr.group, resource: gvr.resource, namespace, name });
  const [confirming, setConfirming] = useState(false);
  const navigate = useNavigate();
  const mutation = useMutation({
    mutationFn: () => deleteObject(cluster, gvr, namespace, name),
    onSuccess: () => navigate(listPath(cluster, gvr, namespace ? [namespace] : [])),
  });
  if (!allowed) return null;
  return (
    <>
      <button type="button" className="danger" data-testid="delete-button" onClick={() => setConfirming(true)}>
        Delete
      </button>
      {confirming && (
        <ConfirmDialog
          title={`Delete ${kind} ${name}?`}
          confirmLabel="Delete"
          danger
          busy={mutation.isPending}
          onConfirm={() => mutation.mutate()}
          onClose={() => setConfirming(false)}
        >
          <p>
            {kind} <strong>{namespace ? `${namespace}/${name}` : name}</strong> will be deleted. Objects it owns may be deleted with it.
          </p>
          {mutation.error && <ErrorMessage error={mutation.error} />}
        </ConfirmDialog>
      )}
    </>
  );
}
