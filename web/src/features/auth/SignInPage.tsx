import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { login, oidcStartUrl, type AuthMode } from '../../api/auth';
import { ErrorMessage } from '../../components/States';
import { useSignedIn } from './useSession';
import './SignInPage.css';

/** The sign-in form of the configured auth mode. */
export function SignInPage({ mode }: { mode: AuthMode }) {
  return (
    <main className="signin">
      <div className="signin-card">
        <h1>Porthole</h1>
        {mode === 'local' && <CredentialsForm kind="password" />}
        {mode === 'token' && <CredentialsForm kind="token" />}
        {mode === 'oidc' && (
          <a className="button primary" data-testid="signin-oidc" href={oidcStartUrl(window.location.pathname + window.location.search)}>
            Sign in with your identity provider
          </a>
        )}
        {(mode === 'proxy' || mode === 'none') && <p>Sign in through the authenticating proxy in front of Porthole, then reload.</p>}
      </div>
    </main>
  );
}

function CredentialsForm({ kind }: { kind: 'password' | 'token' }) {
  const signedIn = useSignedIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const mutation = useMutation({
    mutationFn: () => login(kind === 'password' ? { username, password } : { token: token.trim() }),
    onSuccess: signedIn,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  return (
    <form onSubmit={submit} data-testid="signin-form" className="signin-form">
      {kind === 'password' ? (
        <>
          <label>
            User name
            <input data-testid="signin-username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />
          </label>
          <label>
            Password
            <input data-testid="signin-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </label>
        </>
      ) : (
        <label>
          Kubernetes token
          <textarea data-testid="signin-token" rows={5} value={token} onChange={(e) => setToken(e.target.value)} required autoFocus />
        </label>
      )}
      {mutation.error && <ErrorMessage error={mutation.error} />}
      <button className="primary" data-testid="signin-submit" type="submit" disabled={mutation.isPending}>
        {mutation.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
