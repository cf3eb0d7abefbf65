// The sign-in page of auth mode local. A session of this browser context is reused when it is
// the same user's; another user's is signed out first (through the API, before the app loads,
// so no page of the old user is left making requests).
export class SignInPage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }

  async signIn(username, password) {
    const me = await this.page.request.get(`${this.base}/api/v1/auth/me`);
    if (me.ok() && (await me.json()).user !== username) {
      await this.page.request.post(`${this.base}/api/v1/auth/logout`, { headers: { 'X-Requested-With': 'e2e' } });
    }
    await this.page.goto(`${this.base}/`);
    const form = this.page.getByTestId('signin-form');
    const user = this.page.getByTestId('user-name');
    await form.or(user).first().waitFor();
    if (await user.isVisible()) return;
    await this.page.getByTestId('signin-username').fill(username);
    await this.page.getByTestId('signin-password').fill(password);
    await this.page.getByTestId('signin-submit').click();
    await user.waitFor();
  }
}
