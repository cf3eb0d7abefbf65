import type { KubeObject } from '../../api/kube';

interface ContainerSpec {
  name: string;
  image: string;
  ports?: { containerPort: number; protocol?: string }[];
}
interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  state?: Record<string, { reason?: string; startedAt?: string; exitCode?: number }>;
}

/** A pod's containers (init containers first): image, ports, readiness, restarts, state. */
export function ContainersTab({ pod }: { pod: KubeObject }) {
  const spec = pod.spec as { containers?: ContainerSpec[]; initContainers?: ContainerSpec[] } | undefined;
  const status = pod.status as { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] } | undefined;
  const rows = [
    ...(spec?.initContainers ?? []).map((c) => ({ c, init: true, s: status?.initContainerStatuses?.find((x) => x.name === c.name) })),
    ...(spec?.containers ?? []).map((c) => ({ c, init: false, s: status?.containerStatuses?.find((x) => x.name === c.name) })),
  ];
  return (
    <table className="simple" data-testid="containers">
      <thead>
        <tr>
          <th>Name</th>
          <th>Image</th>
          <th>Ports</th>
          <th>Ready</th>
          <th>Restarts</th>
          <th>State</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ c, init, s }) => {
          const [state, detail] = Object.entries(s?.state ?? {})[0] ?? ['unknown', {}];
          return (
            <tr key={c.name}>
              <td>
                {c.name}
                {init ? ' (init)' : ''}
              </td>
              <td className="mono">{c.image}</td>
              <td>{(c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ')}</td>
              <td>{s ? (s.ready ? 'yes' : 'no') : ''}</td>
              <td>{s?.restartCount ?? ''}</td>
              <td>
                {state}
                {detail.reason ? ` (${detail.reason})` : ''}
                {detail.exitCode !== undefined ? ` exit ${detail.exitCode}` : ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
