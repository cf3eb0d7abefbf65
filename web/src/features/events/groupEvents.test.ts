import { describe, expect, it } from 'vitest';
import { groupEvents, type KubeEvent } from './groupEvents';

const event = (name: string, object: string, type: string, at: string, reason = 'Started', message = ''): KubeEvent => ({
  metadata: { name, namespace: 'ns' },
  type,
  reason,
  message,
  lastTimestamp: at,
  involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: object },
});

const events = [
  event('a1', 'a', 'Normal', '2026-01-01T10:00:05Z'),
  event('a2', 'a', 'Normal', '2026-01-01T10:00:09Z'),
  event('b1', 'b', 'Normal', '2026-01-01T10:00:01Z'),
  event('b2', 'b', 'Warning', '2026-01-01T10:00:02Z', 'BackOff', 'Back-off restarting failed container'),
  event('c1', 'c', 'Warning', '2026-01-01T10:00:03Z', 'Failed', 'ErrImagePull'),
];

describe('groupEvents', () => {
  it('groupsWithWarningsFirst_ThenMostRecent_EventsNewestFirst', () => {
    const groups = groupEvents(events);
    expect(groups.map((g) => [g.name, g.warnings])).toEqual([['c', 1], ['b', 1], ['a', 0]]);
    expect(groups[2].events.map((e) => e.metadata.name)).toEqual(['a2', 'a1']);
    expect(groups[1].events.map((e) => e.metadata.name)).toEqual(['b2', 'b1']);
  });

  it('filters_WarningsOnlyAndText', () => {
    expect(groupEvents(events, { warningsOnly: true }).map((g) => g.events.length)).toEqual([1, 1]);
    expect(groupEvents(events, { text: 'back-off' }).map((g) => g.name)).toEqual(['b']);
    expect(groupEvents(events, { text: 'A' }).map((g) => g.name)).toContain('a');
  });
});
