import { useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchSession, logout, type Me, type Session } from '../../api/auth';

export const sessionKey = ['session'] as const;

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: Infinity });
}

/** The signed-in user; only call below the AuthGate. */
export function useMe(): Me {
  const { data } = useSession();
  if (!data?.signedIn) throw new Error('useMe outside a signed-in tree');
  return data.me;
}

/** Records a new session (after sign-in) and drops everything cached for the previous one. */
export function useSignedIn() {
  const queryClient = useQueryClient();
  return (me: Me) => {
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
    const session: Session = { signedIn: true, me };
    queryClient.setQueryData(sessionKey, session);
  };
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return async () => {
    await logout();
    // The session first (the sign-in page replaces the app), then whatever the old session cached.
    queryClient.setQueryData(sessionKey, await fetchSession());
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
  };
}
