import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SIGNATURE_HEADER, type SimulatorEvent } from '@parley/common';
import { hmacSha256 } from '../../backend/src/connectors/signature';
import type { RoleName } from '../../backend/src/server';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, type makeSimulatorChannel } from '../../backend/src/test/factories';
import { useParley } from '../../backend/src/test/harness';
import { launchBrowser } from './browser';

type TestChannel = Awaited<ReturnType<typeof makeSimulatorChannel>>;

/**
 * The built web app on a Parley of this test file's own (real FerretDB and Redis) and one
 * Chromium, started before the file's tests and closed after them, with the steps every
 * browser test takes: sign someone in, deliver a customer's message through the webhook.
 */
export function useWebApp(roles: RoleName[] = ['api', 'worker', 'web']) {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  // Declared before Parley's, so it runs first (jest runs afterAll hooks in order): the pages
  // stop talking to the app before the app stops, instead of reconnecting into its shutdown.
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
  });
  const parley = useParley(roles, { WEB_DIST_DIR: path.resolve(__dirname, '..', 'dist'), CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });

  const url = (pathname: string) => `http://127.0.0.1:${parley().port}${pathname}`;
  const started = (): Browser => {
    if (!browser) throw new Error('the browser starts in beforeAll');
    return browser;
  };

  /** Signs a user in through the login page, in a browser context of their own, and lands on `next`. */
  const signedInPage = async (email: string, next: string): Promise<Page> => {
    const context = await started().newContext({ viewport: { width: 1400, height: 860 } });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(url(`/login?next=${encodeURIComponent(next)}`));
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**${next}`);
    return page;
  };

  /** Posts simulator events to the channel's webhook, signed as the simulator signs them. */
  const deliver = async (channel: TestChannel, ...events: SimulatorEvent[]): Promise<void> => {
    const body = JSON.stringify({ events });
    const response = await fetch(url(`/webhooks/simulator/${channel._id.toHexString()}`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: `sha256=${hmacSha256(channel.secret, body, 'hex')}` },
      body,
    });
    if (response.status !== 200) throw new Error(`the webhook answered ${response.status}`);
  };

  return { parley, url, browser: started, signedInPage, deliver };
}
