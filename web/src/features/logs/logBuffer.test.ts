import { describe, expect, it } from 'vitest';
import { appendLines, emptyLogBuffer, formatLines, type LogLine } from './logBuffer';

const line = (text: string, extra: Partial<LogLine> = {}): LogLine => ({ pod: 'web-1', container: 'nginx', text, ...extra });

describe('appendLines', () => {
  it('keeps lines in order with increasing ids and leaves the old buffer alone', () => {
    const empty = emptyLogBuffer(10);
    const one = appendLines(empty, [line('a'), line('b')]);
    const two = appendLines(one, [line('c')]);

    expect(two.lines.map((l) => [l.id, l.text])).toEqual([[0, 'a'], [1, 'b'], [2, 'c']]);
    expect(one.lines).toHaveLength(2);
    expect(empty.lines).toHaveLength(0);
  });

  it('drops the oldest lines past the capacity and counts them', () => {
    let buffer = emptyLogBuffer(3);
    buffer = appendLines(buffer, [line('1'), line('2')]);
    buffer = appendLines(buffer, [line('3'), line('4'), line('5')]);

    expect(buffer.lines.map((l) => l.text)).toEqual(['3', '4', '5']);
    expect(buffer.dropped).toBe(2);
    expect(buffer.lines[0].id).toBe(2);
  });

  it('keeps only the tail of a batch larger than the capacity', () => {
    const buffer = appendLines(emptyLogBuffer(2), [line('1'), line('2'), line('3'), line('4')]);

    expect(buffer.lines.map((l) => l.text)).toEqual(['3', '4']);
    expect(buffer.dropped).toBe(2);
  });

  it('returns the same buffer for an empty batch', () => {
    const buffer = appendLines(emptyLogBuffer(), [line('x')]);

    expect(appendLines(buffer, [])).toBe(buffer);
  });

  it('refuses a capacity below one', () => {
    expect(() => emptyLogBuffer(0)).toThrow(RangeError);
  });
});

describe('formatLines', () => {
  const lines = [line('GET /', { time: '2026-11-23T22:00:00Z' }), line('boot', { pod: 'web-2', container: 'init' })];

  it('writes plain text lines by default', () => {
    expect(formatLines(lines, { timestamps: false, sources: false })).toBe('GET /\nboot\n');
  });

  it('prefixes times and sources when asked', () => {
    expect(formatLines(lines, { timestamps: true, sources: true })).toBe('2026-11-23T22:00:00Z [web-1/nginx] GET /\n[web-2/init] boot\n');
  });
});
