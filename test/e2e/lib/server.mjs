// Starts the built Porthole (`porthole --demo`) on a free port with a temporary data dir and
// waits until /readyz says ready. The demo cluster's kubeconfig is {dataDir}/demo.kubeconfig.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const dll = path.join(root, 'src', 'Porthole', 'bin', 'Release', 'net10.0', 'porthole.dll');
export const DEADLINE_MS = 90_000;

/** Polls `check` (async, truthy = done) every 100 ms until `ms` pass. */
export async function waitUntil(what, check, ms = DEADLINE_MS) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/**
 * @param {{ env?: Record<string,string>, name?: string }} options
 * @returns {Promise<{ base: string, dataDir: string, kubeconfig: string, log: () => string, stop: () => Promise<void> }>}
 */
export async function startPorthole({ env = {}, name = 'porthole' } = {}) {
  if (!fs.existsSync(dll)) throw new Error(`build Porthole first (${dll}): dotnet build src/Porthole -c Release`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `porthole-e2e-${name}-`));
  const child = spawn('dotnet', [dll, '--demo'], {
    env: {
      ...process.env,
      PORTHOLE_PORT: '0',
      PORTHOLE_DATA_DIR: dataDir,
      HOME: dataDir,
      KUBECONFIG: '',
      DOTNET_ENVIRONMENT: 'Production',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });

  const stop = async () => {
    if (exited) return;
    const done = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await done;
    clearTimeout(timer);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const base = await waitUntil(`${name} to listen`, () => {
      if (exited) throw new Error(`porthole exited (${JSON.stringify(exited)}): ${output}`);
      const m = /Listening on (http:\/\/[^\s",]+)/.exec(output);
      return m && m[1].replace('[::]', '127.0.0.1');
    });
    await waitUntil(`${name} /readyz`, async () => (await fetch(`${base}/readyz`)).status === 200);
    const kubeconfig = path.join(dataDir, 'demo.kubeconfig');
    await waitUntil('the demo kubeconfig', () => fs.existsSync(kubeconfig));
    return { base, dataDir, kubeconfig, log: () => output, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
