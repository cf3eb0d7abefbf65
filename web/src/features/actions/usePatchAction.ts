import { useMutation } from '@tanstack/react-query';
import { patchObject } from '../../api/kube';
import type { ObjectContext } from '../details/tabs';
import { useCan } from './useCan';

/** A merge-patch action on the object, allowed when the user may `patch` it. The watch shows the result. */
export function usePatchAction({ cluster, gvr, object }: ObjectContext) {
  const { namespace, name } = object.metadata;
  const allowed = useCan(cluster, { verb: 'patch', group: gvr.group, resource: gvr.resource, namespace, name });
  const mutation = useMutation({ mutationFn: (patch: unknown) => patchObject(cluster, gvr, namespace, name, patch) });
  return { allowed, mutation };
}
