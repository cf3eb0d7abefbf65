import { Link } from 'react-router';
import { drainPath } from '../../app/routes';
import type { ObjectContext } from '../details/tabs';
import { useCan } from './useCan';

/** Opens the drain page of a node (allowed when the user may patch it: the drain cordons first). */
export function DrainAction({ cluster, object }: ObjectContext) {
  const allowed = useCan(cluster, { verb: 'patch', group: '', resource: 'nodes', name: object.metadata.name });
  if (!allowed) return null;
  return (
    <Link className="button" data-testid="drain-button" to={drainPath(cluster, object.metadata.name)}>
      Drain…
    </Link>
  );
}
