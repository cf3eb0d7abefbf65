import { CordonAction } from './CordonAction';
import { DeleteAction } from './DeleteAction';
import { DrainAction } from './DrainAction';
import { PauseAction } from './PauseAction';
import { RestartAction } from './RestartAction';
import { ScaleAction } from './ScaleAction';
import type { ObjectContext } from '../details/tabs';
import './ObjectActions.css';

const scalable = new Set(['apps/deployments', 'apps/statefulsets', 'apps/replicasets']);
const restartable = new Set(['apps/deployments', 'apps/statefulsets', 'apps/daemonsets']);

/** The actions of an object, each shown only when an access review allows it. */
export function ObjectActions(ctx: ObjectContext) {
  const key = `${ctx.gvr.group}/${ctx.gvr.resource}`;
  return (
    <div className="object-actions">
      {scalable.has(key) && <ScaleAction {...ctx} />}
      {restartable.has(key) && <RestartAction {...ctx} />}
      {key === 'apps/deployments' && <PauseAction {...ctx} />}
      {key === '/nodes' && <CordonAction {...ctx} />}
      {key === '/nodes' && <DrainAction {...ctx} />}
      <DeleteAction {...ctx} />
    </div>
  );
}
