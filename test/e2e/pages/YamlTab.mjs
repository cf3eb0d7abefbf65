// The YAML tab: CodeMirror editor, dry-run review, confirm.
export class YamlTab {
  constructor(page) {
    this.page = page;
  }

  editor() {
    return this.page.getByTestId('yaml-editor').locator('.cm-content');
  }

  /**
   * Replaces the first `from` with `to`: select all, then paste the edited text (a paste event
   * with the text, which CodeMirror handles itself; the browser's own text insertion would
   * write inline styles into the editor and trip the CSP).
   */
  async replace(from, to) {
    await this.waitForText(from);
    await this.paste((await this.editor().innerText()).replace(from, to));
    await this.waitForText(to);
  }

  async waitForText(text) {
    await this.page.waitForFunction((t) => document.querySelector('[data-testid="yaml-editor"] .cm-content')?.innerText.includes(t), text);
  }

  /** Selects everything and pastes `text` over it. */
  async paste(text) {
    const content = this.editor();
    await content.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await content.evaluate((el, t) => {
      const data = new DataTransfer();
      data.setData('text/plain', t);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, text);
  }

  /** Replaces the whole text (select all, then paste). */
  async setText(text) {
    await this.editor().waitFor();
    await this.paste(text);
    await this.waitForText(text.split('\n')[0]);
  }

  async applyWithReview() {
    await this.page.getByTestId('yaml-apply').click();
    try {
      await this.page.getByTestId('yaml-review').waitFor();
    } catch (e) {
      const { screenshot } = await import('../lib/browser.mjs');
      await screenshot(this.page, 'yaml-review-missing');
      throw e;
    }
    await this.page.getByTestId('yaml-confirm').click();
    await this.page.getByTestId('yaml-applied').waitFor();
  }
}
