import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SIGNATURE_HEADER, type SimulatorEvent } from '@parley/common';
import { hmacSha256 } from '../../backend/src/connectors/signature';
import type { makeSimulatorChannel } from '../../backend/src/test/factories';
import { TEST_PASSWORD } from '../../backend/src/test/factories';

/** Signs a user in through the login page, in a context of their own, and lands on `next`. */
export async function signedInPage(browser: Browser, contexts: BrowserContext[], baseUrl: string, email: string, next: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**${next}`);
  return page;
}

/** Posts simulator events to the channel's webhook, signed as the simulator signs them. */
export async function deliverSigned(baseUrl: string, channel: Awaited<ReturnType<typeof makeSimulatorChannel>>, ...events: SimulatorEvent[]): Promise<void> {
  const body = JSON.stringify({ events });
  const response = await fetch(`${baseUrl}/webhooks/simulator/${channel._id.toHexString()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: `sha256=${hmacSha256(channel.secret, body, 'hex')}` },
    body,
  });
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
}
