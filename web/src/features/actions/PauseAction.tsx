import type { ObjectContext } from '../details/tabs';
import { SpecToggleAction } from './SpecToggleAction';

/** `kubectl rollout pause` / `resume` of a Deployment: spec.paused. */
export function PauseAction(ctx: ObjectContext) {
  return <SpecToggleAction ctx={ctx} field="paused" on={{ label: 'Pause rollout', testId: 'pause-button' }} off={{ label: 'Resume rollout', testId: 'resume-button' }} />;
}
