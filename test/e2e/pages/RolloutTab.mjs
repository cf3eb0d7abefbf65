// The Rollout tab of a Deployment, StatefulSet or DaemonSet: progress, history, diff, undo.
export class RolloutTab {
  constructor(page) {
    this.page = page;
  }

  state() {
    return this.page.getByTestId('rollout-state');
  }

  /** Waits until the rollout state (data-state) is `state`. */
  async waitForState(state, timeout = 90_000) {
    await this.page.locator(`[data-testid="rollout-state"][data-state="${state}"]`).waitFor({ timeout });
  }

  revision(n) {
    return this.page.getByTestId(`revision-${n}`);
  }

  async changeCause(n) {
    return (await this.revision(n).getByTestId('change-cause').innerText()).trim();
  }

  async diff(from, to) {
    await this.page.getByTestId('diff-from').selectOption(String(from));
    await this.page.getByTestId('diff-to').selectOption(String(to));
    return this.page.getByTestId('rollout-diff');
  }

  /** Opens the undo dialog for revision n (the dialog shows the diff; confirm with confirmUndo). */
  async startUndo(n) {
    await this.page.getByTestId(`undo-${n}`).click();
    await this.page.getByTestId('confirm-dialog').waitFor();
  }

  async confirmUndo() {
    await this.page.getByTestId('confirm-ok').click();
    await this.page.getByTestId('rollout-result').waitFor();
    return (await this.page.getByTestId('rollout-result').innerText()).trim();
  }
}
