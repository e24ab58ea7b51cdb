import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import request from 'supertest';
import { SIGNATURE_HEADER, type MessageListResponse, type TicketListResponse } from '@parley/common';
import { Channel } from '../channels/channel.model';
import { encryptCredentials } from '../channels/credentials';
import { hmacSha256 } from '../connectors/signature';
import { RawEvent } from '../ingest/raw-event.model';
import { FakeXPlatform, type FakeXUser } from '../test/fakes/x-platform';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeTeam, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { testPng } from '../test/images';
import { makeXChannel, type TestXChannel } from '../test/x-channels';
import { Message, type MessageDoc } from '../tickets/message.model';
import { eventually } from '../test/eventually';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));
const unique = () => randomBytes(4).toString('hex');

const BRAND = '1470000000000000001';
const brand: FakeXUser = { id: BRAND, name: 'Acme Air', username: 'AcmeAir' };
const kay = { id: '23617610', name: 'Kay Jay', screen_name: 'kayjay' };
const ACCESS_TOKEN = `${BRAND}-media-token`;
const CONSUMER_SECRET = 'cs-media-secret';
const png = testPng(48, 32, [40, 120, 220]);
const avatarPng = testPng(16, 16, [220, 80, 40]);

let fake: FakeXPlatform;
let channel: TestXChannel;
let auth: { own: Record<string, string>; other: Record<string, string>; supervisor: Record<string, string> };

async function login(role: 'agent' | 'supervisor', teamIds: Types.ObjectId[]): Promise<Record<string, string>> {
  const user = await makeUser({ role, teamIds });
  const { token } = (await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200)).body as { token: string };
  return { authorization: `Bearer ${token}` };
}

beforeAll(async () => {
  fake = new FakeXPlatform({
    brand,
    oauth1: { consumerKey: `ck-${BRAND}`, consumerSecret: CONSUMER_SECRET, accessToken: ACCESS_TOKEN, accessTokenSecret: `ats-${BRAND}` },
  });
  await fake.start();
  const team = await makeTeam('Care');
  const otherTeam = await makeTeam('Elsewhere');
  channel = await makeXChannel({ accountId: BRAND, consumerSecret: CONSUMER_SECRET, accessToken: ACCESS_TOKEN, teamId: team._id, settings: { apiBaseUrl: fake.baseUrl } });
  auth = { own: await login('agent', [team._id]), other: await login('agent', [otherTeam._id]), supervisor: await login('supervisor', []) };
});
afterAll(() => fake.stop());

async function deliverSigned(path: string, body: string, headers: Record<string, string>): Promise<void> {
  const { id } = (await http().post(path).set('content-type', 'application/json').set(headers).send(body).expect(200)).body as { id: string };
  const raw = await eventually(() => RawEvent.findById(id).lean(), (doc) => doc !== null && doc.status !== 'pending', `raw event ${id}`);
  expect(raw).toMatchObject({ status: 'processed' });
}

/** A customer's DM with one photo, as X's Account Activity API delivers it: the photo's t.co link ends the text. */
async function dmWithPhoto(mediaUrl: string, words = 'Here is my receipt'): Promise<MessageDoc> {
  const id = BigInt(`0x${randomBytes(7).toString('hex')}`).toString();
  const link = `https://t.co/${unique()}`;
  const text = `${words} ${link}`;
  const start = Array.from(words).length + 1;
  const body = JSON.stringify({
    for_user_id: BRAND,
    direct_message_events: [
      {
        type: 'message_create',
        id,
        created_timestamp: String(Date.now()),
        message_create: {
          target: { recipient_id: BRAND },
          sender_id: kay.id,
          message_data: { text, attachment: { type: 'media', media: { id_str: '9', type: 'photo', url: link, indices: [start, start + link.length], media_url_https: mediaUrl } } },
        },
      },
    ],
    users: { [kay.id]: { id: kay.id, name: kay.name, screen_name: kay.screen_name, profile_image_url_https: `${fake.baseUrl}/profile_images/kayjay_normal.png` } },
  });
  await deliverSigned(`/webhooks/x/${channel._id.toHexString()}`, body, { 'x-twitter-webhooks-signature': `sha256=${hmacSha256(CONSUMER_SECRET, body, 'base64')}` });
  const message = await Message.findOne({ channelId: channel._id, externalId: id }).lean<MessageDoc>();
  if (!message?.ticketId) throw new Error('the DM was not stored on a ticket');
  return message;
}

const attachmentUrl = (message: MessageDoc, index = 0) => `/api/tickets/${message.ticketId!.toHexString()}/messages/${message._id.toHexString()}/attachments/${index}`;
const mediaRequests = (path: string) => fake.requests.filter((entry) => entry.path === path);

describe('the media proxy for attachments', () => {
  it('presents a DM photo under the api, without its t.co link, and serves it fetched with the channel\'s OAuth 1.0a signature', async () => {
    const path = `/1.1/ton/data/dm/${unique()}/receipt.png`;
    const message = await dmWithPhoto(fake.addMedia(path, { contentType: 'image/png', body: png }));

    const thread = (await http().get(`/api/tickets/${message.ticketId!.toHexString()}/messages`).set(auth.own).expect(200)).body as MessageListResponse;
    const presented = thread.items.find((item) => item.id === message._id.toHexString());
    expect(presented?.text).toBe('Here is my receipt');
    expect(presented?.attachments).toEqual([{ type: 'image', mimeType: 'image/png', url: attachmentUrl(message) }]);

    const response = await http().get(attachmentUrl(message)).set(auth.own).buffer(true).expect(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(response.body as Buffer, png)).toBe(0);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(response.headers['content-disposition']).toBeUndefined();

    // The fake checks the HMAC-SHA1 signature itself (RFC 5849): a forged one gets 401.
    const [fetched] = mediaRequests(path);
    expect(fetched?.headers.authorization).toMatch(new RegExp(`^OAuth .*oauth_consumer_key="ck-${BRAND}".*oauth_token="${encodeURIComponent(ACCESS_TOKEN)}"`));
    const forged = fetched!.headers.authorization!.replace(/oauth_signature="[^"]+"/, 'oauth_signature="AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D"');
    expect((await fetch(`${fake.baseUrl}${path}`, { headers: { authorization: forged } })).status).toBe(401);
  });

  it('answers 403 for another team\'s agent, 404 for what does not exist, 401 without a session', async () => {
    const message = await dmWithPhoto(fake.addMedia(`/1.1/ton/data/dm/${unique()}/a.png`, { contentType: 'image/png', body: png }));
    await http().get(attachmentUrl(message)).set(auth.supervisor).expect(200);
    expect((await http().get(attachmentUrl(message)).set(auth.other).expect(403)).body).toMatchObject({ error: { code: 'forbidden' } });
    await http().get(attachmentUrl(message)).expect(401);
    const ticketId = message.ticketId!.toHexString();
    await http().get(`/api/tickets/${new Types.ObjectId().toHexString()}/messages/${message._id.toHexString()}/attachments/0`).set(auth.own).expect(404);
    await http().get(`/api/tickets/${ticketId}/messages/${new Types.ObjectId().toHexString()}/attachments/0`).set(auth.own).expect(404);
    expect((await http().get(attachmentUrl(message, 1)).set(auth.own).expect(404)).body).toMatchObject({ error: { code: 'not_found' } });
    await http().get(`/api/tickets/${ticketId}/messages/${message._id.toHexString()}/attachments/first`).set(auth.own).expect(400);
  });

  it('maps the platform\'s failures to 502 with the reason, and refuses media over the size cap with 413', async () => {
    const path = `/1.1/ton/data/dm/${unique()}/b.png`;
    const message = await dmWithPhoto(fake.addMedia(path, { contentType: 'image/png', body: png }));
    fake.failNext('unavailable');
    expect((await http().get(attachmentUrl(message)).set(auth.own).expect(502)).body).toEqual({ error: { code: 'bad_gateway', message: expect.stringMatching(/answered 503/) as string } });
    fake.media.delete(path);
    expect((await http().get(attachmentUrl(message)).set(auth.own).expect(502)).body).toMatchObject({ error: { code: 'bad_gateway', message: expect.stringMatching(/answered 404/) as string } });

    const huge = await dmWithPhoto(fake.addMedia(`/1.1/ton/data/dm/${unique()}/huge.png`, { contentType: 'image/png', body: Buffer.alloc(26 * 1024 * 1024) }));
    expect((await http().get(attachmentUrl(huge)).set(auth.own).expect(413)).body).toMatchObject({ error: { code: 'too_large', message: expect.stringMatching(/25 MB/) as string } });
  });

  it('serves types other than plain images, video and audio as downloads that cannot run in our origin', async () => {
    const message = await dmWithPhoto(fake.addMedia(`/1.1/ton/data/dm/${unique()}/page.png`, { contentType: 'text/html; charset=utf-8', body: Buffer.from('<script>alert(1)</script>') }));
    const response = await http().get(attachmentUrl(message)).set(auth.own).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-disposition']).toMatch(/^attachment/);
    expect(response.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);
  });

  it('never sends the channel\'s credentials anywhere but X\'s media hosts', async () => {
    const before = fake.requests.length;
    const message = await dmWithPhoto('https://attacker.example/steal.png');
    expect((await http().get(attachmentUrl(message)).set(auth.own).expect(502)).body).toMatchObject({ error: { code: 'bad_gateway', message: expect.stringMatching(/attacker\.example/) as string } });
    expect(fake.requests.length).toBe(before);
  });

  it('fetches a webhook sender\'s attachment only from public addresses', async () => {
    const secret = `secret-${unique()}`;
    const team = await makeTeam();
    const webhook = await Channel.create({
      kind: 'webhook',
      name: `Chat ${unique()}`,
      externalAccountId: `chat-${unique()}`,
      status: 'active',
      teamId: team._id,
      settings: { callbackUrl: 'http://127.0.0.1:9/unused' },
      credentialsEncrypted: encryptCredentials({ secret }, TEST_CREDENTIALS_KEY),
    });
    const internal = `/internal/${unique()}.png`;
    const id = `m-${unique()}`;
    const body = JSON.stringify({
      events: [{ type: 'message', id, visibility: 'private', author: { id: 'visitor-1' }, text: 'see this', attachments: [{ type: 'image', url: fake.addMedia(internal, { contentType: 'image/png', body: png }) }], sentAt: new Date().toISOString() }],
    });
    await deliverSigned(`/webhooks/webhook/${webhook._id.toHexString()}`, body, { [SIGNATURE_HEADER]: `sha256=${hmacSha256(secret, body, 'hex')}` });
    const message = await Message.findOne({ channelId: webhook._id, externalId: id }).lean<MessageDoc>();
    expect((await http().get(attachmentUrl(message!)).set(auth.supervisor).expect(502)).body).toMatchObject({ error: { code: 'bad_gateway', message: expect.stringMatching(/not allowed/) as string } });
    expect(mediaRequests(internal)).toEqual([]);
  });
});

describe('the media proxy for avatars', () => {
  it('presents the contact\'s picture under the api and serves it to those who see the contact, once fetched', async () => {
    fake.addMedia('/profile_images/kayjay_normal.png', { contentType: 'image/png', body: avatarPng });
    const message = await dmWithPhoto(fake.addMedia(`/1.1/ton/data/dm/${unique()}/c.png`, { contentType: 'image/png', body: png }));
    const contactId = message.contactId!.toHexString();
    const list = (await http().get('/api/tickets').set(auth.own).expect(200)).body as TicketListResponse;
    const row = list.items.find((item) => item.id === message.ticketId!.toHexString());
    expect(row?.contact?.avatarUrl).toBe(`/api/contacts/${contactId}/avatar`);
    expect(row?.contact?.identities[0]?.avatarUrl).toBe(`/api/contacts/${contactId}/avatar?identity=x%3A${kay.id}`);

    for (const url of [`/api/contacts/${contactId}/avatar`, `/api/contacts/${contactId}/avatar?identity=x%3A${kay.id}`]) {
      const response = await http().get(url).set(auth.own).buffer(true).expect(200);
      expect(response.headers['content-type']).toBe('image/png');
      expect(response.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
      expect(Buffer.compare(response.body as Buffer, avatarPng)).toBe(0);
    }
    // Many inbox rows show the same people: the picture is fetched from the platform once.
    expect(mediaRequests('/profile_images/kayjay_normal.png')).toHaveLength(1);

    expect((await http().get(`/api/contacts/${contactId}/avatar`).set(auth.other).expect(403)).body).toMatchObject({ error: { code: 'forbidden' } });
    await http().get(`/api/contacts/${contactId}/avatar`).set(auth.supervisor).expect(200);
    await http().get(`/api/contacts/${new Types.ObjectId().toHexString()}/avatar`).set(auth.own).expect(404);
    await http().get(`/api/contacts/${contactId}/avatar?identity=x%3A42`).set(auth.own).expect(404);
    await http().get(`/api/contacts/${contactId}/avatar`).expect(401);
  });
});
