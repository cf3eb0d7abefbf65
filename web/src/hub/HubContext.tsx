import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { HubClient, type HubStatus } from './HubClient';

const HubContext = createContext<HubClient | null>(null);

/** Provides the tab's one hub client to the tree. */
export function HubProvider({ client, children }: { client: HubClient; children: ReactNode }) {
  return <HubContext.Provider value={client}>{children}</HubContext.Provider>;
}

export function useHub(): HubClient {
  const hub = useContext(HubContext);
  if (!hub) throw new Error('useHub needs a <HubProvider>');
  return hub;
}

/** The hub socket's status, re-rendering on change. */
export function useHubStatus(): HubStatus {
  const hub = useHub();
  const [status, setStatus] = useState(hub.status);
  useEffect(() => {
    setStatus(hub.status);
    return hub.onStatus(setStatus);
  }, [hub]);
  return status;
}
