import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { hmacSha256 } from '../../backend/src/connectors/signature';
import { FakeXPlatform } from '../../backend/src/test/fakes/x-platform';
import { makeTeam, makeUser } from '../../backend/src/test/factories';
import { testPng } from '../../backend/src/test/images';
import { makeXChannel } from '../../backend/src/test/x-channels';
import { screenshotPath } from './browser';
import { useWebApp } from './session';

const app = useWebApp();
const { url } = app;

const BRAND = '1470000000000000001';
const CONSUMER_SECRET = 'cs-e2e-media';
const ACCESS_TOKEN = `${BRAND}-e2e-token`;

let fake: FakeXPlatform;
beforeAll(async () => {
  fake = await new FakeXPlatform({
    brand: { id: BRAND, name: 'Acme Air', username: 'AcmeAir' },
    oauth1: { consumerKey: `ck-${BRAND}`, consumerSecret: CONSUMER_SECRET, accessToken: ACCESS_TOKEN, accessTokenSecret: `ats-${BRAND}` },
  }).start();
});
afterAll(() => fake.stop());

/** Waits until the browser has decoded the first picture matching the selector, and answers its width. */
async function pictureLoaded(page: Page, selector: string): Promise<number> {
  const image = `document.querySelector(${JSON.stringify(selector)})`;
  await page.waitForFunction(`${image} !== null && ${image}.complete && ${image}.naturalWidth > 0`);
  return page.evaluate<number>(`${image}.naturalWidth`);
}

describe('pictures in the inbox', () => {
  it('shows an X DM photo as a thumbnail and the customer\'s avatar, all from our own origin', async () => {
    const team = await makeTeam('Media');
    const agent = await makeUser({ name: 'Mia Agent', teamIds: [team._id] });
    const channel = await makeXChannel({ accountId: BRAND, consumerSecret: CONSUMER_SECRET, accessToken: ACCESS_TOKEN, teamId: team._id, settings: { apiBaseUrl: fake.baseUrl } });
    const photo = fake.addMedia('/1.1/ton/data/dm/1/2/suitcase.png', { contentType: 'image/png', body: testPng(320, 200, [30, 110, 200]) });
    const avatar = fake.addMedia('/profile_images/rosa_normal.png', { contentType: 'image/png', body: testPng(48, 48, [210, 90, 50]) });

    // A customer's DM with a photo, as X delivers it: the photo's t.co link ends the text.
    const words = 'My suitcase arrived like this 😢';
    const link = 'https://t.co/Sx4mPl3';
    const start = Array.from(words).length + 1;
    const body = JSON.stringify({
      for_user_id: BRAND,
      direct_message_events: [
        {
          type: 'message_create',
          id: BigInt(`0x${randomBytes(7).toString('hex')}`).toString(),
          created_timestamp: String(Date.now()),
          message_create: {
            target: { recipient_id: BRAND },
            sender_id: '5550001',
            message_data: { text: `${words} ${link}`, attachment: { type: 'media', media: { id_str: '1', type: 'photo', url: link, indices: [start, start + link.length], media_url_https: photo } } },
          },
        },
      ],
      users: { '5550001': { id: '5550001', name: 'Rosa Rivera', screen_name: 'rosa_r', profile_image_url_https: avatar } },
    });
    const delivered = await fetch(url(`/webhooks/x/${channel._id.toHexString()}`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': `sha256=${hmacSha256(CONSUMER_SECRET, body, 'base64')}` },
      body,
    });
    expect(delivered.status).toBe(200);

    const page = await app.signedInPage(agent.email, '/inbox/unassigned');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });

    // The row shows Rosa's picture, served by our api.
    const row = page.locator('.ticket-row', { hasText: 'Rosa Rivera' });
    await row.waitFor();
    await expect(row.locator('img.avatar').getAttribute('src')).resolves.toMatch(/^\/api\/contacts\/[a-f0-9]{24}\/avatar$/);
    await expect(pictureLoaded(page, '.ticket-row img.avatar')).resolves.toBe(48);
    await row.click();
    await page.waitForURL('**/tickets/*');

    // The message reads as the customer wrote it; the photo is a thumbnail that opens full size.
    const message = page.locator('.message-inbound', { hasText: 'My suitcase arrived like this 😢' });
    await message.waitFor();
    await expect(message.locator('.message-text').textContent()).resolves.toBe(words);
    const thumb = message.locator('img.attachment-thumb');
    await expect(thumb.getAttribute('src')).resolves.toMatch(/^\/api\/tickets\/[a-f0-9]{24}\/messages\/[a-f0-9]{24}\/attachments\/0$/);
    await expect(thumb.getAttribute('loading')).resolves.toBe('lazy');
    await expect(pictureLoaded(page, 'img.attachment-thumb')).resolves.toBe(320);
    await expect(pictureLoaded(page, '.contact-panel img.avatar')).resolves.toBe(48);
    await page.screenshot({ path: screenshotPath('thread-image-attachment') });

    const [full] = await Promise.all([page.waitForEvent('popup'), thumb.click()]);
    await full.waitForLoadState();
    expect(new URL(full.url()).pathname).toBe(await thumb.getAttribute('src'));
    await full.close();

    // Nothing left our origin, and nothing had to be blocked: the page's policy allows only it.
    const origin = new URL(url('')).origin;
    expect(requests.filter((request) => !request.startsWith(origin) && !request.startsWith('data:') && !request.startsWith('ws:'))).toEqual([]);
    expect(blocked).toEqual([]);
    const inbox = await page.request.get(url('/inbox'));
    expect(inbox.headers()['content-security-policy']).toMatch(/img-src 'self' data: blob:(;|$)/);
    expect(inbox.headers()['content-security-policy']).toMatch(/media-src 'self'(;|$)/);
  });
});
