// The pod list: /c/{cluster}/core/v1/pods/{namespaces}; rows are data-testid="row-{ns}/{name}".
export class PodListPage {
  constructor(page, base, cluster = 'sim-admin') {
    this.page = page;
    this.base = base;
    this.cluster = cluster;
  }

  async open(namespaces = '-') {
    await this.page.goto(`${this.base}/c/${this.cluster}/core/v1/pods/${namespaces}`);
    await this.table().waitFor();
    return this;
  }

  table() {
    return this.page.getByTestId('resource-table');
  }

  /** Rows whose test id starts with row-{ns}/{prefix}. */
  rows(namespace, prefix = '') {
    return this.page.locator(`[data-testid^="row-${namespace}/${prefix}"]`);
  }

  row(namespace, name) {
    return this.page.getByTestId(`row-${namespace}/${name}`);
  }

  async filter(text) {
    await this.page.getByTestId('filter-input').fill(text);
  }
}
