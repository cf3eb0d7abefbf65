import { useQuery } from '@tanstack/react-query';
import { canI, type AccessAttributes } from '../../api/access';

/** The query of one access review, shared by {@link useCan} and pages that ask several at once. */
export const canQuery = (cluster: string, attributes: AccessAttributes) => ({
  queryKey: ['can-i', cluster, attributes],
  queryFn: () => canI(cluster, attributes),
  staleTime: 60_000,
});

/** True only once a SelfSubjectAccessReview allowed it (false while asking or on error). */
export function useCan(cluster: string, attributes: AccessAttributes): boolean {
  const { data } = useQuery(canQuery(cluster, attributes));
  return data === true;
}
