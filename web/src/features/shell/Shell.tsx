import { Outlet, useMatch } from 'react-router';
import { eventsPath } from '../../app/routes';
import { useHubStatus } from '../../hub';
import { CommandPalette } from '../palette/CommandPalette';
import { useMe, useSignOut } from '../auth/useSession';
import { useTheme } from '../preferences/useTheme';
import { ClusterPicker } from './ClusterPicker';
import { NamespaceSelect } from './NamespaceSelect';
import { Sidebar } from './Sidebar';
import { UnreachableBanner } from './UnreachableBanner';
import { useLocationContext } from './useLocationContext';
import './Shell.css';

/** Header (cluster, namespaces, theme, user), sidebar of kinds, the page. */
export function Shell() {
  const { cluster, gvr, namespaces } = useLocationContext();
  const me = useMe();
  const signOut = useSignOut();
  const theme = useTheme();
  const hub = useHubStatus();
  const eventsView = useMatch('/c/:cluster/events/:ns?');
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Porthole</span>
        <ClusterPicker cluster={cluster} namespaces={namespaces} />
        <NamespaceSelect cluster={cluster} gvr={gvr} selected={namespaces} pathFor={eventsView ? (ns) => eventsPath(cluster, ns) : undefined} />
        <span className="spacer" />
        <kbd className="palette-key" title="Command palette">Ctrl K</kbd>
        {me.readOnly && (
          <span className="read-only" data-testid="read-only" title="PORTHOLE_READ_ONLY: this Porthole refuses every change">
            read-only
          </span>
        )}
        {hub === 'closed' && <span className="hub-down" title="Live updates are reconnecting">● reconnecting</span>}
        <button type="button" onClick={theme.toggle} data-testid="theme-toggle" title="Light or dark theme">
          {theme.effective === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
        <span className="user" data-testid="user-name" title={me.groups.join(', ')}>
          {me.user}
        </span>
        {me.mode !== 'none' && me.mode !== 'proxy' && (
          <button type="button" data-testid="sign-out" onClick={() => void signOut()}>
            Sign out
          </button>
        )}
      </header>
      <UnreachableBanner cluster={cluster} />
      <CommandPalette />
      <div className="body">
        <Sidebar cluster={cluster} current={gvr} namespaces={namespaces} admin={me.admin} />
        <main className="page">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
