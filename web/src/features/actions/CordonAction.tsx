import type { ObjectContext } from '../details/tabs';
import { SpecToggleAction } from './SpecToggleAction';

/** `kubectl cordon` / `uncordon`: spec.unschedulable. */
export function CordonAction(ctx: ObjectContext) {
  return <SpecToggleAction ctx={ctx} field="unschedulable" on={{ label: 'Cordon', testId: 'cordon-button' }} off={{ label: 'Uncordon', testId: 'uncordon-button' }} />;
}
