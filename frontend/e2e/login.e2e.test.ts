import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { TEST_PASSWORD, makeTeam, makeUser } from '../../backend/src/test/factories';
import { useParley } from '../../backend/src/test/harness';
import { launchBrowser, screenshotPath } from './browser';

const parley = useParley(['api', 'web'], { WEB_DIST_DIR: path.resolve(__dirname, '..', 'dist') });
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
});
afterEach(async () => {
  await page.close();
});

const url = (pathname: string) => `http://127.0.0.1:${parley().port}${pathname}`;

async function signIn(email: string, password: string) {
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('signing in', () => {
  it('sends a stranger to the login page, refuses a wrong password, then lets the agent in', async () => {
    const team = await makeTeam('Care');
    const agent = await makeUser({ name: 'Alex Agent', teamIds: [team._id] });

    await page.goto(url('/'));
    await page.waitForURL('**/login');
    await expect(page.getByRole('heading', { name: 'Sign in to Parley' }).isVisible()).resolves.toBe(true);

    await signIn(agent.email, 'not the password');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Wrong email or password.');
    await page.screenshot({ path: screenshotPath('login-wrong-password') });

    await signIn(agent.email, TEST_PASSWORD);
    await page.getByRole('heading', { name: 'No conversations yet' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/inbox/mine');
    await expect(page.getByRole('banner').textContent()).resolves.toContain('Alex Agent');
    await page.screenshot({ path: screenshotPath('inbox-after-login') });

    // The session survives a reload (httpOnly cookie), and signing out ends it.
    await page.reload();
    await page.getByRole('heading', { name: 'No conversations yet' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.goto(url('/'));
    await page.waitForURL('**/login');
  });

  it('shows the field the server names for invalid input', async () => {
    await page.goto(url('/login'));
    await signIn('not-an-email', 'whatever');
    const emailField = page.getByLabel('Work email');
    await page.locator('.field-error').waitFor();
    await expect(emailField.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('.field-error').textContent()).resolves.toContain('email');
  });

  it('keeps focus where the agent types after a failed sign-in', async () => {
    const agent = await makeUser({ name: 'Fran Focus' });
    await page.goto(url('/login'));
    await expect(page.locator('#login-email:focus').count()).resolves.toBe(1);
    await signIn(agent.email, 'wrong');
    await page.getByRole('alert').waitFor();
    await expect(page.locator('#login-email:focus').count()).resolves.toBe(1);
    await page.getByLabel('Password').click();
    await page.getByLabel('Password').clear();
    await page.keyboard.type(TEST_PASSWORD);
    await expect(page.locator('#login-password:focus').count()).resolves.toBe(1);
    await expect(page.getByLabel('Password').inputValue()).resolves.toBe(TEST_PASSWORD);
  });

  it('follows only same-origin targets after sign-in', async () => {
    const team = await makeTeam('Next');
    const agent = await makeUser({ teamIds: [team._id] });
    for (const next of ['/\\evil.example', '//evil.example/x', 'https://evil.example/', '/login']) {
      await page.context().clearCookies();
      await page.goto(url(`/login?next=${encodeURIComponent(next)}`));
      await signIn(agent.email, TEST_PASSWORD);
      await page.waitForURL('**/inbox/mine');
      expect(new URL(page.url()).host).toBe(`127.0.0.1:${parley().port}`);
    }
    await page.context().clearCookies();
    await page.goto(url(`/login?next=${encodeURIComponent('/inbox/pending?x=1')}`));
    await signIn(agent.email, TEST_PASSWORD);
    await page.waitForURL('**/inbox/pending?x=1');
  });
});
