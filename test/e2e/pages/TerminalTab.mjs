// The Terminal tab: xterm.js; typed input goes to the hub, the screen is read from xterm's rows.
export class TerminalTab {
  constructor(page) {
    this.page = page;
  }

  screen() {
    return this.page.getByTestId('terminal-screen');
  }

  async waitConnected() {
    await this.page.locator('[data-testid="terminal-status"][data-state="open"]').waitFor({ timeout: 60_000 });
  }

  async type(text) {
    await this.screen().click();
    await this.page.keyboard.type(text);
  }

  async text() {
    return this.screen().locator('.xterm-rows').innerText();
  }

  async waitForText(text) {
    await this.page.waitForFunction(
      (t) => document.querySelector('[data-testid="terminal-screen"] .xterm-rows')?.textContent?.includes(t),
      text,
      { timeout: 60_000 },
    );
  }
}
