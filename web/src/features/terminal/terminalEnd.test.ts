import { describe, expect, it } from 'vitest';
import { describeTerminalEvent } from './terminalEnd';

describe('describeTerminalEvent', () => {
  it('says plainly how the session ended', () => {
    expect(describeTerminalEvent({ exitCode: 0 })).toContain('The session exited.');
    expect(describeTerminalEvent({ exitCode: 130 })).toContain('exited with code 130');
  });

  it('shows a notice (the lifetime or idle end coming) on its own line', () => {
    expect(describeTerminalEvent({ notice: 'closes in 5 minutes' })).toMatch(/^\r\n.*closes in 5 minutes.*\r\n$/);
  });

  it('leaves output alone', () => {
    expect(describeTerminalEvent({ data: 'hi' })).toBeNull();
  });
});
