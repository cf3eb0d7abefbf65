// The sign-in page of auth mode local.
export class SignInPage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }

  async signIn(username, password) {
    await this.page.goto(`${this.base}/`);
    await this.page.getByTestId('signin-form').waitFor();
    await this.page.getByTestId('signin-username').fill(username);
    await this.page.getByTestId('signin-password').fill(password);
    await this.page.getByTestId('signin-submit').click();
    await this.page.getByTestId('user-name').waitFor();
  }
}
