#!/usr/bin/env node
// Time to first render of a 10,000-pod list in headless chromium (Debian's, via playwright-core).
// Starts the built `porthole --demo` with PORTHOLE_DEMO_PODS=N (bare pods in namespace "load"),
// then, per run, opens a fresh page on /c/sim-admin/core/v1/pods/load and measures from the
// navigation's start until the first table rows are visible and until the row count reads N.
// Run 1 has a cold HTTP cache; later runs reuse the cached assets, as a returning user would.
//
//   dotnet build src/Porthole -c Release && (cd test/e2e && npm ci)
//   node bench/web-first-render.mjs [--pods 10000] [--runs 5]
import { parseArgs } from 'node:util';
import { launch, newPage, screenshot } from '../test/e2e/lib/browser.mjs';
import { startPorthole, waitUntil } from '../test/e2e/lib/server.mjs';

const { values } = parseArgs({ options: { pods: { type: 'string', default: '10000' }, runs: { type: 'string', default: '5' } } });
const pods = Number(values.pods);
const runs = Number(values.runs);

const server = await startPorthole({ name: 'bench', env: { PORTHOLE_DEMO_PODS: String(pods) } });
const browser = await launch();
try {
  // All N pods stored and listed by the API before timing the UI.
  await waitUntil(`${pods} pods in namespace load`, async () => {
    const r = await fetch(`${server.base}/api/v1/clusters/sim-admin/k8s/api/v1/namespaces/load/pods`);
    return r.status === 200 && (await r.json()).items.length >= pods;
  }, 300_000);

  const results = [];
  for (let i = 1; i <= runs; i++) {
    const page = await newPage(browser.context);
    page.setDefaultTimeout(120_000);
    const url = `${server.base}/c/sim-admin/core/v1/pods/load`;
    const start = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    try {
      await page.locator('[data-testid^="row-load/"]').first().waitFor();
    } catch (e) {
      console.error(`no rows; screenshot: ${await screenshot(page, 'bench-first-render-failed')}; page problems: ${page.problems.join('; ')}`);
      throw e;
    }
    const firstRows = Date.now() - start;
    // The count reads "N" (or "shown of N" with a filter); null when it never reaches N.
    const allRows = await page
      .waitForFunction((n) => Number(/(\d+)\s*$/.exec(document.querySelector('[data-testid="list-count"]')?.textContent ?? '')?.[1]) >= n, pods, { timeout: 60_000 })
      .then(() => Date.now() - start, () => null);
    const rendered = await page.locator('[data-testid^="row-load/"]').count();
    results.push({ run: i, firstRowsMs: firstRows, allRowsCountedMs: allRows, domRows: rendered });
    page.assertClean();
    await page.close();
  }

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(JSON.stringify({ pods, runs: results }, null, 1));
  console.log(`first rows visible: median ${median(results.map((r) => r.firstRowsMs))} ms (cold run ${results[0].firstRowsMs} ms); ` +
    `count at ${pods}: median ${median(results.map((r) => r.allRowsCountedMs))} ms; rows in the DOM (virtualised): ${results[0].domRows}`);
} finally {
  await browser.close();
  await server.stop();
}
