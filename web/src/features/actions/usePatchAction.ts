import { useMutation } from '@tanstack/react-query';
import { patchObject, type PatchType } from '../../api/kube';
import type { ObjectContext } from '../details/tabs';
import { useCan } from './useCan';

/**
 * A PATCH of the object (or of its `subresource`) with kubectl's patch type, allowed when the
 * user may `patch` it and the server is not read-only. The watch shows the result.
 */
export function usePatchAction({ cluster, gvr, object }: ObjectContext, options: { subresource?: string; type?: PatchType } = {}) {
  const { namespace, name } = object.metadata;
  const allowed = useCan(cluster, { verb: 'patch', group: gvr.group, resource: gvr.resource, subresource: options.subresource, namespace, name });
  const mutation = useMutation({ mutationFn: (patch: unknown) => patchObject(cluster, gvr, namespace, name, patch, options) });
  return { allowed, mutation };
}
