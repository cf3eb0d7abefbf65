// The audit log page (/c/{cluster}/audit) and the recording player it links to.
export class AuditPage {
  constructor(page, base, cluster = 'sim-admin') {
    this.page = page;
    this.base = base;
    this.cluster = cluster;
  }

  async open(query = '') {
    await this.page.goto(`${this.base}/c/${this.cluster}/audit${query}`);
    await this.page.getByTestId('audit-page').waitFor();
    return this;
  }

  rows() {
    return this.page.locator('[data-testid^="audit-row-"]');
  }

  /** Rows whose cells contain every given text. */
  row(...texts) {
    let rows = this.rows();
    for (const t of texts) rows = rows.filter({ hasText: t });
    return rows;
  }

  async filter(fields) {
    for (const [name, value] of Object.entries(fields)) {
      if (name === 'verb') await this.page.getByTestId('audit-verb').selectOption(value);
      else await this.page.getByTestId(`audit-${name}`).fill(value);
    }
    await this.page.getByTestId('audit-apply').click();
  }
}

export class RecordingPlayer {
  constructor(page) {
    this.page = page;
  }

  async waitForText(text) {
    await this.page.waitForFunction(
      (t) => document.querySelector('[data-testid="player-screen"] .xterm-rows')?.textContent?.includes(t),
      text,
      { timeout: 60_000 },
    );
  }

  async text() {
    return this.page.getByTestId('player-screen').locator('.xterm-rows').innerText();
  }

  async state() {
    return this.page.getByTestId('player-time').getAttribute('data-state');
  }

  /** Moves the seek slider to `seconds` (an input event, as dragging it makes). */
  async seek(seconds) {
    await this.page.getByTestId('player-seek').evaluate((el, s) => {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      setter.call(el, String(s));
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, seconds);
  }
}
