import { lazy, Suspense, type ReactNode } from 'react';
import type { AccessAttributes } from '../../api/access';
import type { KubeObject } from '../../api/kube';
import type { Gvr } from '../../app/routes';
import { Loading } from '../../components/States';
import { ContainersTab } from './ContainersTab';
import { EventsTab } from './EventsTab';
import { OverviewTab } from './OverviewTab';
import { NodeTab } from '../nodes/NodeTab';
import { RolloutTab } from '../rollouts/RolloutTab';
import { podTabs, workloadLogsTab } from './workloadTabs';

/** CodeMirror is most of the bundle: loaded when the YAML tab first opens. */
const YamlTab = lazy(() => import('./YamlTab').then((m) => ({ default: m.YamlTab })));

/** What a tab gets: the live object and where it lives. */
export interface ObjectContext {
  cluster: string;
  gvr: Gvr;
  object: KubeObject;
  kind: string;
}

export interface ObjectTab {
  id: string;
  label: string;
  element: ReactNode;
  /** Shown only once a SelfSubjectAccessReview allows this (e.g. create pods/exec for Terminal). */
  requires?: AccessAttributes;
}

/** `pods`, `deployments.apps`: the key of a kind in {@link kindTabs}. */
const kindKey = (gvr: Gvr) => (gvr.group ? `${gvr.resource}.${gvr.group}` : gvr.resource);

/**
 * Tabs a kind adds after Overview (one line per tab; Logs and Terminal plug in here).
 * Every kind also gets YAML and Events.
 */
const kindTabs: Record<string, (ctx: ObjectContext) => ObjectTab[]> = {
  pods: (ctx) => [{ id: 'containers', label: 'Containers', element: <ContainersTab pod={ctx.object} /> }, ...podTabs(ctx)],
  'deployments.apps': (ctx) => [rolloutTab(ctx), workloadLogsTab(ctx)],
  'statefulsets.apps': (ctx) => [rolloutTab(ctx), workloadLogsTab(ctx)],
  'daemonsets.apps': (ctx) => [rolloutTab(ctx), workloadLogsTab(ctx)],
  'replicasets.apps': (ctx) => [workloadLogsTab(ctx)],
  'jobs.batch': (ctx) => [workloadLogsTab(ctx)],
  nodes: (ctx) => [{ id: 'node', label: 'Resources & pods', element: <NodeTab {...ctx} /> }],
};

function rolloutTab(ctx: ObjectContext): ObjectTab {
  return { id: 'rollout', label: 'Rollout', element: <RolloutTab {...ctx} /> };
}

export function tabsFor(ctx: ObjectContext): ObjectTab[] {
  return [
    { id: 'overview', label: 'Overview', element: <OverviewTab {...ctx} /> },
    ...(kindTabs[kindKey(ctx.gvr)]?.(ctx) ?? []),
    {
      id: 'yaml',
      label: 'YAML',
      element: (
        <Suspense fallback={<Loading label="Loading the editor…" />}>
          <YamlTab {...ctx} />
        </Suspense>
      ),
    },
    { id: 'events', label: 'Events', element: <EventsTab {...ctx} /> },
  ];
}
