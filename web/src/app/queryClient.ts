import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/errors';

/**
 * Queries are kept fresh by the hub, not by refetching: no refetch on focus, retry only
 * transient failures. A 401 anywhere (the session expired or was revoked) re-asks who is
 * signed in, which brings back the sign-in page.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (error instanceof ApiError && error.status === 401 && query.queryKey[0] !== 'session') {
          void client.invalidateQueries({ queryKey: ['session'] });
        }
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
      },
    },
  });
  return client;
}
