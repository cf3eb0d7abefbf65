import { lazy, Suspense } from 'react';
import type { KubeObject } from '../../api/kube';
import { Loading } from '../../components/States';
import { LogsView } from '../logs/LogsView';
import { selectorString, type LabelSelector } from '../logs/selector';
import type { ObjectContext, ObjectTab } from './tabs';

// xterm.js is loaded with the first Terminal tab, not with the app.
const TerminalView = lazy(() => import('../terminal/TerminalView').then((m) => ({ default: m.TerminalView })));

type PodSpec = { containers?: { name: string }[]; initContainers?: { name: string }[] };

const names = (list: { name: string }[] | undefined) => (list ?? []).map((c) => c.name);

/** A pod's Logs (its containers, init containers after) and Terminal (its containers) tabs. */
export function podTabs(ctx: ObjectContext): ObjectTab[] {
  const spec = ctx.object.spec as PodSpec | undefined;
  const namespace = ctx.object.metadata.namespace ?? '';
  const pod = ctx.object.metadata.name;
  return [
    {
      id: 'logs',
      label: 'Logs',
      element: <LogsView cluster={ctx.cluster} namespace={namespace} target={{ kind: 'pod', pod, containers: [...names(spec?.containers), ...names(spec?.initContainers)] }} />,
    },
    {
      id: 'terminal',
      label: 'Terminal',
      requires: { verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace, name: pod },
      element: (
        <Suspense fallback={<Loading label="Loading the terminal…" />}>
          <TerminalView cluster={ctx.cluster} namespace={namespace} pod={pod} containers={names(spec?.containers)} />
        </Suspense>
      ),
    },
  ];
}

/** A workload's Logs tab: every container of every pod its `spec.selector` matches. */
export function workloadLogsTab(ctx: ObjectContext): ObjectTab {
  const object: KubeObject = ctx.object;
  const selector = (object.spec as { selector?: LabelSelector } | undefined)?.selector;
  return {
    id: 'logs',
    label: 'Logs',
    element: (
      <LogsView
        cluster={ctx.cluster}
        namespace={object.metadata.namespace ?? ''}
        target={{ kind: 'workload', name: object.metadata.name, labelSelector: selectorString(selector) }}
      />
    ),
  };
}
