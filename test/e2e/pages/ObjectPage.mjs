// One object: /c/{cluster}/{group}/{version}/{resource}/{ns}/{name}?tab=...
export class ObjectPage {
  constructor(page, base, cluster = 'sim-admin') {
    this.page = page;
    this.base = base;
    this.cluster = cluster;
  }

  async open({ group = 'core', version = 'v1', resource = 'pods', namespace, name, tab }) {
    const url = `${this.base}/c/${this.cluster}/${group}/${version}/${resource}/${namespace}/${encodeURIComponent(name)}${tab ? `?tab=${tab}` : ''}`;
    await this.page.goto(url);
    await this.page.getByTestId('object-page').waitFor();
    return this;
  }

  async tab(id) {
    await this.page.getByTestId(`tab-${id}`).click();
  }

  deleteButton() {
    return this.page.getByTestId('delete-button');
  }
}
