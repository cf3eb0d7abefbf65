import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { parse } from 'yaml';
import { applyYaml, type KubeObject } from '../../api/kube';
import { ApiError } from '../../api/errors';
import { DiffView } from '../../components/diff/DiffView';
import { ErrorMessage } from '../../components/States';
import { YamlEditor } from '../../components/YamlEditor';
import { useTheme } from '../preferences/useTheme';
import { applyConflicts, type ApplyConflict } from '../yaml/conflicts';
import { ConflictTable } from '../yaml/ConflictTable';
import { editableYaml } from './editableYaml';
import type { ObjectContext } from './tabs';
import './YamlTab.css';

type Step = { kind: 'edit' } | { kind: 'review'; after: string; forced: boolean } | { kind: 'applied' };

/**
 * The object as YAML in CodeMirror. Apply first runs a server-side dry-run apply and shows
 * the diff of what would change; Confirm applies for real (field manager porthole). A 409
 * conflict names each field and the manager that owns it; forcing is a second, explicit step:
 * a forced dry run with its diff and the fields it takes over, then Confirm.
 */
export function YamlTab({ cluster, gvr, object }: ObjectContext) {
  const { effective } = useTheme();
  const [opened, setOpened] = useState(() => ({ text: editableYaml(object), version: object.metadata.resourceVersion }));
  const [text, setText] = useState(opened.text);
  const [step, setStep] = useState<Step>({ kind: 'edit' });
  const [conflicts, setConflicts] = useState<ApplyConflict[]>([]);
  const { namespace, name } = object.metadata;
  const apply = useMutation({
    mutationFn: async ({ dryRun, force }: { dryRun: boolean; force?: boolean }) => {
      const parsed = parse(text) as KubeObject | null;
      if (!parsed || typeof parsed !== 'object') throw new Error('The YAML is not an object.');
      if (parsed.metadata?.name !== name) throw new Error(`metadata.name must stay ${name}.`);
      return applyYaml(cluster, gvr, namespace, name, text, { dryRun, force });
    },
    onError: (error) => setConflicts(applyConflicts(error)),
    onSuccess: (result, { dryRun, force }) => {
      if (dryRun) setStep({ kind: 'review', after: editableYaml(result), forced: force === true });
      else {
        setStep({ kind: 'applied' });
        const fresh = editableYaml(result);
        setOpened({ text: fresh, version: result.metadata.resourceVersion });
        setText(fresh);
      }
    },
  });
  const conflict = apply.error instanceof ApiError && apply.error.status === 409;
  const forcedReview = step.kind === 'review' && step.forced;
  const changedMeanwhile = object.metadata.resourceVersion !== opened.version && step.kind !== 'applied';

  return (
    <div className="yaml-tab">
      <div className="yaml-toolbar">
        <button
          type="button"
          className="primary"
          data-testid="yaml-apply"
          disabled={apply.isPending || text === opened.text}
          onClick={() => apply.mutate({ dryRun: true })}
        >
          Apply…
        </button>
        <button
          type="button"
          data-testid="yaml-reload"
          onClick={() => {
            const fresh = editableYaml(object);
            setOpened({ text: fresh, version: object.metadata.resourceVersion });
            setText(fresh);
            setStep({ kind: 'edit' });
            apply.reset();
          }}
        >
          Reload
        </button>
        {changedMeanwhile && <span className="tone-warn">The object changed since you opened it; Reload shows the new version.</span>}
        {step.kind === 'applied' && !apply.isPending && (
          <span className="tone-ok" data-testid="yaml-applied">
            Applied.
          </span>
        )}
      </div>
      {apply.error && (
        <div className="yaml-error">
          <ErrorMessage error={apply.error} />
          {conflict && conflicts.length > 0 && <ConflictTable conflicts={conflicts} testId="yaml-conflicts" />}
          {conflict && (
            <button type="button" className="danger" data-testid="yaml-force" onClick={() => apply.mutate({ dryRun: true, force: true })}>
              Review a forced apply…
            </button>
          )}
        </div>
      )}
      {step.kind === 'review' && !apply.error && (
        <div className="yaml-review" data-testid="yaml-review">
          <div>Dry run: this is what would change.</div>
          {forcedReview && (
            <div className="tone-warn" data-testid="yaml-forced">
              Forced: field manager porthole takes over {conflicts.map((c) => `${c.field} (from ${c.manager})`).join(', ') || 'the conflicting fields'}; their managers may change them back.
            </div>
          )}
          <DiffView before={opened.text} after={step.after} />
          <div className="yaml-review-actions">
            <button
              type="button"
              className={forcedReview ? 'danger' : 'primary'}
              data-testid="yaml-confirm"
              disabled={apply.isPending}
              onClick={() => apply.mutate({ dryRun: false, force: forcedReview })}
            >
              {forcedReview ? 'Confirm forced apply' : 'Confirm apply'}
            </button>
            <button type="button" onClick={() => setStep({ kind: 'edit' })}>
              Back to editing
            </button>
          </div>
        </div>
      )}
      <YamlEditor
        key={opened.text}
        initial={opened.text}
        dark={effective === 'dark'}
        onChange={(t) => {
          setText(t);
          if (step.kind !== 'edit') setStep({ kind: 'edit' });
          if (apply.error) apply.reset();
        }}
      />
    </div>
  );
}
