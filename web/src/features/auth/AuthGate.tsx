import type { ReactNode } from 'react';
import { ErrorMessage, Loading } from '../../components/States';
import { SignInPage } from './SignInPage';
import { useSession } from './useSession';

/** Renders its children for a signed-in user, else the sign-in page of the auth mode. */
export function AuthGate({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session.isPending) return <Loading label="Connecting to Porthole…" />;
  if (session.error) return <ErrorMessage error={session.error} />;
  if (!session.data.signedIn) return <SignInPage mode={session.data.mode} />;
  return children;
}
