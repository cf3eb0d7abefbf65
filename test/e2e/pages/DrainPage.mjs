// The drain page of a node: /c/{cluster}/drain/{node}.
export class DrainPage {
  constructor(page, base, cluster = 'sim-admin') {
    this.page = page;
    this.base = base;
    this.cluster = cluster;
  }

  async open(node) {
    await this.page.goto(`${this.base}/c/${this.cluster}/drain/${node}`);
    await this.page.getByTestId('drain-page').waitFor();
    return this;
  }

  pod(namespace, name) {
    return this.page.getByTestId(`drain-pod-${namespace}/${name}`);
  }

  /** Rows of pods whose name starts with prefix. */
  pods(namespace, prefix) {
    return this.page.locator(`[data-testid^="drain-pod-${namespace}/${prefix}"]`);
  }

  async waitForPhase(phase, timeout = 90_000) {
    await this.page.locator(`[data-testid="drain-status"][data-phase="${phase}"]`).waitFor({ timeout });
    return (await this.page.getByTestId('drain-status').innerText()).trim();
  }

  async start({ timeoutSeconds, emptyDir = false, unmanaged = false } = {}) {
    if (emptyDir) await this.page.getByTestId('drain-emptydir').check();
    if (unmanaged) await this.page.getByTestId('drain-unmanaged').check();
    if (timeoutSeconds) await this.page.getByTestId('drain-timeout').fill(String(timeoutSeconds));
    await this.page.getByTestId('drain-start').click();
  }
}
