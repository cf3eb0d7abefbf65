// The sign-in page of auth mode local. A session of this browser context is reused when it is
// the same user's; another user's is signed out first.
export class SignInPage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }

  async signIn(username, password) {
    await this.page.goto(`${this.base}/`);
    const form = this.page.getByTestId('signin-form');
    const user = this.page.getByTestId('user-name');
    await form.or(user).first().waitFor();
    if (await user.isVisible()) {
      if ((await user.innerText()).trim() === username) return;
      await this.page.getByTestId('sign-out').click();
      await form.waitFor();
    }
    await this.page.getByTestId('signin-username').fill(username);
    await this.page.getByTestId('signin-password').fill(password);
    await this.page.getByTestId('signin-submit').click();
    await user.waitFor();
  }
}
