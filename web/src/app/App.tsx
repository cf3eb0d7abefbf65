import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter } from 'react-router';
import { HubClient, HubProvider, hubUrl } from '../hub';
import { createQueryClient } from './queryClient';
import { AppRoutes } from './AppRoutes';

/** Providers: TanStack Query, the tab's hub client, the router. */
export function App() {
  const [queryClient] = useState(createQueryClient);
  const [hub] = useState(() => new HubClient({ url: hubUrl() }));
  return (
    <QueryClientProvider client={queryClient}>
      <HubProvider client={hub}>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </HubProvider>
    </QueryClientProvider>
  );
}
