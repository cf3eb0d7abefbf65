import { useQuery } from '@tanstack/react-query';
import { canI, type AccessAttributes } from '../../api/access';
import { useMe } from '../auth/useSession';

/** The query of one access review, shared by {@link useCan} and pages that ask several at once. */
export const canQuery = (cluster: string, attributes: AccessAttributes) => ({
  queryKey: ['can-i', cluster, attributes],
  queryFn: () => canI(cluster, attributes),
  staleTime: 60_000,
});

/** May the user take an action, and if not, why (in words a person reads). */
export interface Gate {
  allowed: boolean;
  /** Still asking: neither allowed nor refused yet. */
  pending: boolean;
  /** Why not, when refused (read-only server, RBAC, or a failed review). */
  reason?: string;
}

const describe = (a: AccessAttributes) =>
  `${a.verb} ${a.group ? `${a.resource}.${a.group}` : a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.namespace ? ` in namespace ${a.namespace}` : ''}`;

/** The gate of an action: refused on a read-only server, else what a SelfSubjectAccessReview says. */
export function useGate(cluster: string, attributes: AccessAttributes): Gate {
  const me = useMe();
  const { data, error, isPending } = useQuery({ ...canQuery(cluster, attributes), enabled: !me.readOnly });
  if (me.readOnly) return { allowed: false, pending: false, reason: 'Porthole runs read-only (PORTHOLE_READ_ONLY): changes are turned off.' };
  if (error) return { allowed: false, pending: false, reason: `Could not check access: ${error.message}` };
  if (isPending || !data) return { allowed: false, pending: true };
  if (data.allowed) return { allowed: true, pending: false };
  return { allowed: false, pending: false, reason: `${me.user} may not ${describe(attributes)} (RBAC${data.reason ? `: ${data.reason}` : ''}).` };
}

/** True only once a SelfSubjectAccessReview allowed it and the server is not read-only (false while asking or on error). */
export function useCan(cluster: string, attributes: AccessAttributes): boolean {
  return useGate(cluster, attributes).allowed;
}
