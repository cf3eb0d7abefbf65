import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useParams } from 'react-router';
import { Loading } from '../components/States';
import { AuthGate } from '../features/auth/AuthGate';
import { useMe } from '../features/auth/useSession';
import { ObjectPage } from '../features/details/ObjectPage';
import { DrainPage } from '../features/nodes/DrainPage';
import { EventsPage } from '../features/events/EventsPage';
import { AuditPage } from '../features/audit/AuditPage';
import { usePreferences } from '../features/preferences/usePreferences';
import { ResourceListPage } from '../features/resources/ResourceListPage';
import { Shell } from '../features/shell/Shell';
import { useLocationContext } from '../features/shell/useLocationContext';
import { listPath, podsGvr } from './routes';

// xterm.js comes with the first recording, not with the app.
// CodeMirror likewise comes with the first editor.
const CreatePage = lazy(() => import('../features/yaml/CreatePage').then((m) => ({ default: m.CreatePage })));
const RecordingPlayer = lazy(() => import('../features/audit/RecordingPlayer').then((m) => ({ default: m.RecordingPlayer })));

/** Every route of the console; see routes.ts for the URL scheme. */
export function AppRoutes() {
  return (
    <AuthGate>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/c/:cluster" element={<Shell />}>
          <Route index element={<Home />} />
          <Route path="drain/:node" element={<DrainRoute />} />
          <Route path="events/:ns?" element={<EventsRoute />} />
          <Route path="audit" element={<AuditRoute />} />
          <Route path="create" element={<CreateRoute />} />
          <Route path="recordings/:id" element={<RecordingRoute />} />
          <Route path=":group/:version/:resource/:ns?" element={<ListRoute />} />
          <Route path=":group/:version/:resource/:ns/:name" element={<ObjectRoute />} />
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </AuthGate>
  );
}

/** `/` and `/c/{cluster}`: the pods of the session's cluster in the remembered namespaces. */
function Home() {
  const me = useMe();
  const params = useParams();
  const prefs = usePreferences();
  if (prefs.isPending) return <Loading />;
  const cluster = params.cluster ?? me.cluster ?? prefs.data?.defaultCluster;
  if (!cluster) return <Loading label="No cluster is configured." />;
  return <Navigate to={listPath(cluster, podsGvr, prefs.data?.namespaces ?? [])} replace />;
}

function ListRoute() {
  const { cluster, gvr, namespaces } = useLocationContext();
  return <ResourceListPage key={`${cluster}/${gvr!.group}/${gvr!.resource}`} cluster={cluster} gvr={gvr!} namespaces={namespaces} />;
}

function ObjectRoute() {
  const { cluster, gvr, objectNamespace, name } = useLocationContext();
  return <ObjectPage key={`${cluster}/${gvr!.group}/${gvr!.resource}/${objectNamespace}/${name}`} cluster={cluster} gvr={gvr!} namespace={objectNamespace} name={name!} />;
}

function DrainRoute() {
  const { cluster, node } = useParams();
  return <DrainPage key={`${cluster}/${node}`} cluster={cluster!} node={node!} />;
}

function EventsRoute() {
  const { cluster, namespaces } = useLocationContext();
  return <EventsPage cluster={cluster} namespaces={namespaces} />;
}

function AuditRoute() {
  const { cluster } = useParams();
  return <AuditPage cluster={cluster!} />;
}

function RecordingRoute() {
  const { id } = useParams();
  return (
    <Suspense fallback={<Loading label="Loading the player…" />}>
      <RecordingPlayer key={id} id={id!} />
    </Suspense>
  );
}

function CreateRoute() {
  const { cluster, namespaces } = useLocationContext();
  return (
    <Suspense fallback={<Loading label="Loading the editor…" />}>
      <CreatePage cluster={cluster} namespaces={namespaces} />
    </Suspense>
  );
}
