// The Logs tab of a pod or workload.
export class LogsTab {
  constructor(page) {
    this.page = page;
  }

  view() {
    return this.page.getByTestId('logs-view');
  }

  lines() {
    return this.page.getByTestId('logs-line');
  }

  async lineCount() {
    return this.lines().count();
  }

  async search(text) {
    await this.page.getByTestId('logs-search').fill(text);
  }

  /** Waits until more than `n` lines are shown. */
  async waitForMoreThan(n) {
    await this.page.waitForFunction((min) => document.querySelectorAll('[data-testid="logs-line"]').length > min, n, { timeout: 60_000 });
  }
}
