/** A `terminal_output` payload: output, a notice (lifetime or idle end coming), or the exit code. */
export type TerminalOutput = { data: string } | { notice: string } | { exitCode: number };

/** The line the terminal prints (ANSI-coloured) for a notice or the end of the session. */
export function describeTerminalEvent(payload: TerminalOutput): string | null {
  if ('notice' in payload) return `\r\n\x1b[33m[porthole] ${payload.notice}\x1b[0m\r\n`;
  if ('exitCode' in payload) {
    const how = payload.exitCode === 0 ? 'exited' : `exited with code ${payload.exitCode}`;
    return `\r\n\x1b[90m[porthole] The session ${how}. Press Reconnect to open a new one.\x1b[0m\r\n`;
  }
  return null;
}

/** Shell choices: auto lets the server try bash then sh. */
export const shells = { auto: undefined, bash: ['bash'], sh: ['sh'] } as const satisfies Record<string, readonly string[] | undefined>;
export type ShellChoice = keyof typeof shells;
