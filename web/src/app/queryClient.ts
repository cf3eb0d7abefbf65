import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/errors';

/** Queries are kept fresh by the hub, not by refetching: no refetch on focus, retry only transient failures. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
      },
    },
  });
}
