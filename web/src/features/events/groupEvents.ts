import type { KubeObject } from '../../api/kube';

/** A core/v1 Event as the UI reads it. */
export interface KubeEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
  involvedObject?: { apiVersion?: string; kind?: string; namespace?: string; name?: string; uid?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

/** The events of one involved object. */
export interface EventGroup {
  key: string;
  kind: string;
  apiVersion: string;
  namespace?: string;
  name: string;
  warnings: number;
  /** Newest first. */
  events: KubeEvent[];
  latest: number;
}

/** When an event last happened (lastTimestamp, eventTime, creation). */
export const eventTime = (e: KubeEvent) => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '') || 0;

export const isWarning = (e: KubeEvent) => e.type === 'Warning';

/**
 * Events grouped by involved object (kind, namespace, name): groups with warnings first, then
 * the most recently active; events newest first. `warningsOnly` keeps Warning events only;
 * `text` keeps events whose reason, message, object kind or name contains it (case-insensitive).
 */
export function groupEvents(events: Iterable<KubeEvent>, filter: { warningsOnly?: boolean; text?: string } = {}): EventGroup[] {
  const needle = filter.text?.trim().toLowerCase() ?? '';
  const groups = new Map<string, EventGroup>();
  for (const e of events) {
    if (filter.warningsOnly && !isWarning(e)) continue;
    const o = e.involvedObject ?? {};
    const kind = o.kind ?? 'Unknown';
    const name = o.name ?? '';
    if (needle && ![e.reason, e.message, kind, name].some((s) => s?.toLowerCase().includes(needle))) continue;
    const key = `${kind}/${o.namespace ?? ''}/${name}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, kind, apiVersion: o.apiVersion ?? 'v1', namespace: o.namespace, name, warnings: 0, events: [], latest: 0 };
      groups.set(key, group);
    }
    group.events.push(e);
    if (isWarning(e)) group.warnings++;
    group.latest = Math.max(group.latest, eventTime(e));
  }
  const list = [...groups.values()];
  for (const g of list) g.events.sort((a, b) => eventTime(b) - eventTime(a) || a.metadata.name.localeCompare(b.metadata.name));
  return list.sort((a, b) => Number(b.warnings > 0) - Number(a.warnings > 0) || b.latest - a.latest || a.key.localeCompare(b.key));
}
