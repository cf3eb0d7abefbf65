import { describe, expect, it } from 'vitest';
import { advance, clock, eventsBetween, parseCast, screenAt } from './cast';

const text = [
  JSON.stringify({ version: 2, width: 80, height: 24, timestamp: 1767225600, title: 'team-a/api app' }),
  '[0.100000, "o", "$ "]',
  '[1.500000, "o", "echo hi\\r\\n"]',
  '[1.600000, "r", "100x30"]',
  '[2.000000, "o", "hi\\r\\n$ "]',
  '[2.5, "o", "half',
].join('\n');

describe('cast', () => {
  it('parseCast_HeaderAndEvents_SkipsAHalfWrittenLine', () => {
    const cast = parseCast(text);
    expect(cast).toMatchObject({ width: 80, height: 24, title: 'team-a/api app', duration: 2 });
    expect(cast.events).toHaveLength(4);
  });

  it('parseCast_NotACast_ClearError', () => {
    expect(() => parseCast('hello')).toThrow(/not an asciicast recording/);
    expect(() => parseCast('{"version":1,"width":80,"height":24}')).toThrow(/version 1/);
  });

  it('eventsBetween_AndScreenAt_GiveOutputAndSize', () => {
    const cast = parseCast(text);
    expect(eventsBetween(cast, 0.1, 1.6)).toEqual({ output: 'echo hi\r\n', size: { cols: 100, rows: 30 } });
    expect(screenAt(cast, 1)).toEqual({ output: '$ ', size: { cols: 80, rows: 24 } });
    expect(screenAt(cast, 99)).toEqual({ output: '$ echo hi\r\nhi\r\n$ ', size: { cols: 100, rows: 30 } });
  });

  it('advance_ScalesBySpeed_StopsAtTheEnd', () => {
    const cast = parseCast(text);
    expect(advance(cast, 0, 250, 2)).toBe(0.5);
    expect(advance(cast, 1.9, 1000, 4)).toBe(2);
    expect(clock(83.4)).toBe('1:23');
  });
});
