import { useState } from 'react';
import { ApiError } from '../../api/errors';
import { applyYaml, getObject } from '../../api/kube';
import { DiffView } from '../../components/diff/DiffView';
import { ErrorMessage, Loading } from '../../components/States';
import { YamlEditor } from '../../components/YamlEditor';
import { useMe } from '../auth/useSession';
import { editableYaml } from '../details/editableYaml';
import { useApiResources } from '../kinds/useApiResources';
import { useTheme } from '../preferences/useTheme';
import { applyConflicts, type ApplyConflict } from './conflicts';
import { ConflictTable } from './ConflictTable';
import { planDocuments, type PlannedDocument } from './documents';
import './create.css';

const template = `# One or more objects, separated by ---; each is server-side applied (field manager porthole).
apiVersion: v1
kind: ConfigMap
metadata:
  name: example
data:
  key: value
`;

type Outcome = 'create' | 'change' | 'unchanged' | 'conflict' | 'error';

interface Reviewed {
  doc: PlannedDocument;
  outcome: Outcome;
  before: string;
  after: string;
  error?: string;
  conflicts: ApplyConflict[];
  force: boolean;
  result?: { ok: boolean; message: string };
}

type Ready = Extract<PlannedDocument, { ok: true }>;

/** A document's dry run: what exists now, what the apply would make of it, or why it cannot. */
async function dryRun(cluster: string, doc: PlannedDocument, force: boolean): Promise<Reviewed> {
  if (!doc.ok) return { doc, outcome: 'error', before: '', after: '', error: doc.error, conflicts: [], force };
  let before = '';
  try {
    before = editableYaml(await getObject(cluster, doc.gvr, doc.namespace, doc.object.metadata.name));
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) return { doc, outcome: 'error', before, after: '', error: (e as Error).message, conflicts: [], force };
  }
  try {
    const after = editableYaml(await applyYaml(cluster, doc.gvr, doc.namespace, doc.object.metadata.name, doc.yaml, { dryRun: true, force }));
    return { doc, outcome: !before ? 'create' : before === after ? 'unchanged' : 'change', before, after, conflicts: [], force };
  } catch (e) {
    const conflicts = applyConflicts(e);
    return { doc, outcome: conflicts.length > 0 ? 'conflict' : 'error', before, after: '', error: (e as Error).message, conflicts, force };
  }
}

/**
 * Create (or change) objects from a multi-document YAML, as `kubectl apply --server-side`:
 * Review runs a server dry run of each document and shows its diff (or why it cannot be
 * applied); Apply applies those that would create or change something. A document that
 * conflicts with another field manager names the fields and managers, and can be reviewed
 * again forced, explicitly, before it is applied.
 */
export function CreatePage({ cluster, namespaces }: { cluster: string; namespaces: string[] }) {
  const { effective } = useTheme();
  const me = useMe();
  const resources = useApiResources(cluster);
  const [text, setText] = useState(template);
  const [reviewed, setReviewed] = useState<Reviewed[] | null>(null);
  const [busy, setBusy] = useState(false);
  const defaultNamespace = namespaces[0] ?? 'default';
  if (resources.isPending) return <Loading label="Discovering kinds…" />;
  if (resources.error) return <ErrorMessage error={resources.error} />;

  const review = async () => {
    setBusy(true);
    const docs = planDocuments(text, resources.data, defaultNamespace);
    setReviewed(await Promise.all(docs.map((d) => dryRun(cluster, d, false))));
    setBusy(false);
  };
  const forceOne = async (i: number) => {
    const r = reviewed![i];
    const forced = await dryRun(cluster, r.doc, true);
    setReviewed((list) => list!.map((x, k) => (k === i ? { ...forced, conflicts: r.conflicts } : x)));
  };
  const applyAll = async () => {
    setBusy(true);
    const next = await Promise.all(
      reviewed!.map(async (r): Promise<Reviewed> => {
        if (!r.doc.ok || (r.outcome !== 'create' && r.outcome !== 'change')) return r;
        const doc: Ready = r.doc;
        try {
          await applyYaml(cluster, doc.gvr, doc.namespace, doc.object.metadata.name, doc.yaml, { force: r.force });
          return { ...r, result: { ok: true, message: r.outcome === 'create' ? 'created' : 'changed' } };
        } catch (e) {
          return { ...r, result: { ok: false, message: (e as Error).message } };
        }
      }),
    );
    setReviewed(next);
    setBusy(false);
  };
  const applicable = reviewed?.filter((r) => (r.outcome === 'create' || r.outcome === 'change') && !r.result).length ?? 0;

  return (
    <section className="create-page" data-testid="create-page">
      <h1>Create from YAML</h1>
      <div className="muted">Namespaced objects without a namespace go to {defaultNamespace}.</div>
      <div className="create-editor">
        <YamlEditor
          initial={template}
          dark={effective === 'dark'}
          onChange={(t) => {
            setText(t);
            setReviewed(null);
          }}
        />
      </div>
      <div className="create-actions">
        <button type="button" className="primary" data-testid="create-review" disabled={busy || me.readOnly} title={me.readOnly ? 'Porthole runs read-only' : undefined} onClick={() => void review()}>
          Review (server dry run)
        </button>
        {reviewed && (
          <button type="button" className="primary" data-testid="create-apply" disabled={busy || applicable === 0} onClick={() => void applyAll()}>
            {`Apply ${applicable} document${applicable === 1 ? '' : 's'}`}
          </button>
        )}
      </div>
      {reviewed?.length === 0 && <div className="muted">No documents.</div>}
      {reviewed?.map((r, i) => (
        <article key={r.doc.index} className="create-doc" data-testid={`create-doc-${r.doc.index}`} data-outcome={r.outcome} data-result={r.result ? (r.result.ok ? 'applied' : 'failed') : undefined}>
          <h2>
            {`${r.doc.index}. ${r.doc.label}`} <span className={r.outcome === 'error' || r.outcome === 'conflict' ? 'tone-bad' : 'muted'}>{r.outcome}{r.force ? ' (forced)' : ''}</span>
            {r.result && <span className={r.result.ok ? 'tone-ok' : 'tone-bad'} data-testid="create-result">{` → ${r.result.message}`}</span>}
          </h2>
          {r.error && <ErrorMessage error={new Error(r.error)} />}
          {r.conflicts.length > 0 && <ConflictTable conflicts={r.conflicts} testId={`create-conflicts-${r.doc.index}`} />}
          {r.outcome === 'conflict' && (
            <button type="button" className="danger" data-testid={`create-force-${r.doc.index}`} onClick={() => void forceOne(i)}>
              Review forced (take these fields over)
            </button>
          )}
          {(r.outcome === 'create' || r.outcome === 'change') && <DiffView before={r.before} after={r.after} testId={`create-diff-${r.doc.index}`} />}
        </article>
      ))}
    </section>
  );
}
