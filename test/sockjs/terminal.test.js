// Porthole's kubecube-compatible terminal driven by the real sockjs-client 1.6.1, once per
// transport. Starts the built Porthole (`porthole --demo`, port 0) and reads its URL from the log.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const SockJS = require('sockjs-client');

const DEADLINE_MS = 60_000;
const root = path.resolve(__dirname, '..', '..');
const dll = path.join(root, 'src', 'Porthole', 'bin', 'Release', 'net10.0', 'porthole.dll');
let server;
let base;
const pods = {};

function waitFor(what, check, ms = DEADLINE_MS) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    check((value) => { clearTimeout(timer); resolve(value); });
  });
}

before(async () => {
  assert.ok(fs.existsSync(dll), `build Porthole first (${dll})`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-sockjs-'));
  server = spawn('dotnet', [dll, '--demo'], {
    env: { ...process.env, PORTHOLE_PORT: '0', PORTHOLE_DATA_DIR: dataDir, HOME: dataDir, DOTNET_ENVIRONMENT: 'Production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let log = '';
  base = await waitFor('Porthole to listen', (done) => server.stdout.on('data', (chunk) => {
    log += chunk;
    const m = /Listening on (http:\/\/[^\s",]+)/.exec(log);
    if (m) done(m[1].replace('[::]', '127.0.0.1'));
  }));
  // The demo Deployments' pods have generated names: find a running one of each app.
  for (const [ns, app] of [['default', 'web'], ['team-b', 'worker']]) {
    pods[app] = await waitFor(`a running ${app} pod`, async (done) => {
      for (;;) {
        const url = `${base}/api/v1/clusters/sim-admin/k8s/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${app}`;
        const r = await fetch(url).catch(() => null);
        const list = r && r.status === 200 ? await r.json() : { items: [] };
        const running = list.items.find((p) => p.status && p.status.phase === 'Running');
        if (running) return done({ ns, pod: running.metadata.name, container: app });
        await new Promise((r2) => setTimeout(r2, 200));
      }
    });
  }
});

after(() => { if (server) server.kill('SIGTERM'); });

/** A kubecube front end: gets a shell session id, opens SockJS, binds, collects output. */
async function openTerminal(transport, { ns, pod, container }) {
  const r = await fetch(`${base}/api/v1/sim-admin/namespace/${ns}/pod/${pod}/shell/${container}`);
  assert.strictEqual(r.status, 200);
  const { id } = await r.json();
  assert.match(id, /^[0-9a-f]{32}$/);
  const sock = new SockJS(`${base}/api/sockjs?${id}`, null, { transports: [transport] });
  const term = { id, sock, output: '', closed: null, waiters: [] };
  const poke = () => term.waiters.slice().forEach((w) => w());
  sock.onmessage = (m) => {
    const frame = JSON.parse(m.data);
    assert.deepStrictEqual(Object.keys(frame), ['Op', 'Data', 'SessionID', 'Rows', 'Cols']);
    if (frame.Op === 'stdout') term.output += frame.Data;
    poke();
  };
  sock.onclose = (e) => { term.closed = { code: e.code, reason: e.reason }; poke(); };
  term.send = (msg) => sock.send(JSON.stringify({ Op: '', Data: '', SessionID: '', Rows: 0, Cols: 0, ...msg }));
  term.until = (what, pred) => waitFor(what, (done) => {
    const check = () => { if (pred()) { term.waiters = term.waiters.filter((w) => w !== check); done(); } };
    term.waiters.push(check);
    check();
  });
  await waitFor(`${transport} to open`, (done) => { sock.onopen = done; });
  assert.strictEqual(sock.transport, transport);
  term.send({ Op: 'bind', SessionID: id });
  term.send({ Op: 'resize', Rows: 24, Cols: 80 });
  return term;
}

// xhr-streaming goes into busybox (sh only), so it also covers the bash -> sh fallback.
for (const [transport, app] of [
  ['websocket', 'web'],
  ['xhr-streaming', 'worker'],
  ['xhr-polling', 'web'],
]) {
  test(`${transport}: bind, echo hello, resize follows stty size, exit closes c[1]`, async () => {
    const term = await openTerminal(transport, pods[app]);
    term.send({ Op: 'stdin', Data: 'echo he""llo\r' });
    await term.until('hello', () => /\bhello\r\n/.test(term.output));

    term.send({ Op: 'resize', Rows: 33, Cols: 101 });
    term.send({ Op: 'stdin', Data: 'stty size\r' });
    await term.until('stty size 33 101', () => term.output.includes('33 101'));

    term.send({ Op: 'stdin', Data: 'exit\r' });
    await term.until('the close', () => term.closed !== null);
    assert.deepStrictEqual(term.closed, { code: 1, reason: 'process exited' });
    assert.doesNotMatch(term.output, /executable file not found/);
  });
}

test('a raw ping gets a raw pong; a second bind of the same id is refused with c[2]', async () => {
  const term = await openTerminal('websocket', pods.web);
  await term.until('the prompt', () => term.output.length > 0);
  const pong = waitFor('pong', (done) => {
    const inner = term.sock.onmessage;
    term.sock.onmessage = (m) => { if (m.data === 'pong') done(); else inner(m); };
  });
  term.sock.send('ping');
  await pong;

  const second = new SockJS(`${base}/api/sockjs`, null, { transports: ['xhr-polling'] });
  await waitFor('open', (done) => { second.onopen = done; });
  second.send(JSON.stringify({ Op: 'bind', Data: '', SessionID: term.id, Rows: 0, Cols: 0 }));
  const closed = await waitFor('the refusal', (done) => { second.onclose = (e) => done(e); });
  assert.strictEqual(closed.code, 2);
  assert.match(closed.reason, /already used/);
  term.sock.close();
});
