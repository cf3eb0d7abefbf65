// Users for auth mode local: a users file (hashes made by `porthole hash-password`) in a
// temporary directory, removed by cleanup().
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { dll } from './server.mjs';

async function hashPassword(password) {
  const child = promisify(execFile)('dotnet', [dll, 'hash-password'], { timeout: 60_000 });
  child.child.stdin.end(password);
  return (await child).stdout.trim();
}

/** @param {{ username: string, groups: string[] }[]} users all with `password` */
export async function usersFile(users, password) {
  const hash = await hashPassword(password);
  const dir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'porthole-e2e-users-'));
  const file = path.join(dir, 'users.yaml');
  const lines = users.map((u) => `- { username: ${u.username}, passwordHash: "${hash}", groups: [${u.groups.join(', ')}] }`);
  fs.writeFileSync(file, ['users:', ...lines, ''].join('\n'));
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
