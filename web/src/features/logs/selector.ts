/** A workload's `spec.selector` (a Kubernetes LabelSelector). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/**
 * The label-selector string (`app=web,tier in (a,b)`) that selects a workload's pods, as the
 * hub's `logs:*` `labelSelector` wants it; null when the selector selects nothing or everything
 * (an empty selector would stream every pod of the namespace).
 */
export function selectorString(selector: LabelSelector | undefined | null): string | null {
  if (!selector) return null;
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
    }
  }
  return parts.length > 0 ? parts.join(',') : null;
}
