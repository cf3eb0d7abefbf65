import { useQuery } from '@tanstack/react-query';
import { canI, type AccessAttributes } from '../../api/access';

/** True only once a SelfSubjectAccessReview allowed it (false while asking or on error). */
export function useCan(cluster: string, attributes: AccessAttributes): boolean {
  const { data } = useQuery({ queryKey: ['can-i', cluster, attributes], queryFn: () => canI(cluster, attributes), staleTime: 60_000 });
  return data === true;
}
