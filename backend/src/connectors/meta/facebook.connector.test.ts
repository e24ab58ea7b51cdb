import { PLATFORM_FIXTURES } from '../../test/fixtures';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FakeMetaPlatform } from '../../test/fakes/meta-platform';
import { MalformedPayload, PermanentFailure, RateLimited, ReauthRequired, TransientFailure, type ChannelContext, type OutboundMessage } from '../connector';
import { hmacSha256 } from '../signature';
import { facebookConnector as facebook } from './facebook.connector';

const FIXTURES = resolve(PLATFORM_FIXTURES, 'meta');
const fixture = (name: string): unknown => JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8'));

const PAGE_ID = '104000000000001';
const APP_SECRET = 'fb-app-secret';
const PAGE_TOKEN = 'EAAB-page-token';
let fake: FakeMetaPlatform;

function page(settings: Record<string, unknown> = {}): ChannelContext {
  return {
    id: '0123456789abcdef01234567',
    kind: 'facebook',
    externalAccountId: PAGE_ID,
    settings: { apiBaseUrl: fake.baseUrl, ...settings },
    credentials: { appSecret: APP_SECRET, pageAccessToken: PAGE_TOKEN, verifyToken: 'let-me-in' },
  };
}

const feed = (value: Record<string, unknown>, time = 1732100000) => ({ object: 'page', entry: [{ id: PAGE_ID, time, changes: [{ field: 'feed', value }] }] });
const messaging = (...items: Record<string, unknown>[]) => ({ object: 'page', entry: [{ id: PAGE_ID, time: 1732100300123, messaging: items }] });
const fromCustomer = (extra: Record<string, unknown>) => ({ sender: { id: '7100000000000001' }, recipient: { id: PAGE_ID }, timestamp: 1732100300000, ...extra });

/** A Parley message id made now (an ObjectId: its first 8 hex digits are its creation time). */
const messageId = () => `${Math.floor(Date.now() / 1000).toString(16)}${'0'.repeat(16)}`;
const reply = (fields: Partial<OutboundMessage>): OutboundMessage => ({ messageId: messageId(), text: 'Thanks, we are on it', visibility: 'public', sentBy: 'agent', ...fields });

beforeAll(async () => {
  fake = await FakeMetaPlatform.start({ pageId: PAGE_ID, pageToken: PAGE_TOKEN, appSecret: APP_SECRET, pageName: 'Acme Air' });
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe('facebook webhook handshake and signature', () => {
  it('echoes hub.challenge for the right verify token and answers 403 otherwise', () => {
    expect(facebook.handshake(page(), { 'hub.mode': 'subscribe', 'hub.verify_token': 'let-me-in', 'hub.challenge': '1158201444' })).toEqual({
      status: 200,
      contentType: 'text/plain',
      body: '1158201444',
    });
    expect(facebook.handshake(page(), { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' }).status).toBe(403);
    expect(facebook.handshake(page(), { 'hub.mode': 'unsubscribe', 'hub.verify_token': 'let-me-in', 'hub.challenge': '1' }).status).toBe(403);
  });

  it('accepts X-Hub-Signature-256 of the raw body with the app secret, nothing else', () => {
    const rawBody = Buffer.from(JSON.stringify(fixture('page-feed-comment.json')));
    const good = `sha256=${hmacSha256(APP_SECRET, rawBody, 'hex')}`;
    expect(facebook.verify(page(), { rawBody, headers: { 'x-hub-signature-256': good } })).toBe(true);
    expect(facebook.verify(page(), { rawBody: Buffer.concat([rawBody, Buffer.from(' ')]), headers: { 'x-hub-signature-256': good } })).toBe(false);
    expect(facebook.verify(page(), { rawBody, headers: { 'x-hub-signature-256': `sha256=${hmacSha256('other', rawBody, 'hex')}` } })).toBe(false);
    expect(facebook.verify(page(), { rawBody, headers: {} })).toBe(false);
  });
});

describe('facebook normalize', () => {
  it('reads the page feed comment fixture', () => {
    const { events, ignored } = facebook.normalize(page(), fixture('page-feed-comment.json'));
    expect(ignored).toEqual([]);
    expect(events).toEqual([
      {
        action: 'create',
        channelKind: 'facebook',
        externalId: '900000000000001_1100000000000001',
        externalThreadId: '104000000000001_900000000000001',
        visibility: 'public',
        author: { externalId: '6200000000000001', displayName: 'Marie Dupont' },
        text: "Suis-je la seule à ne plus ouvrir l'appli Acme ? C'est juste triste",
        attachments: [],
        sentAt: new Date(1732100000 * 1000).toISOString(),
        tags: [],
      },
    ]);
  });

  it('reads the Messenger message fixture', () => {
    const { events } = facebook.normalize(page(), fixture('messenger-message.json'));
    expect(events).toEqual([
      expect.objectContaining({
        action: 'create',
        externalId: 'm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
        externalThreadId: '7100000000000001',
        visibility: 'private',
        author: { externalId: '7100000000000001' },
        text: "Bonjour, ma réservation XYZ789 a disparu de l'appli",
        sentAt: new Date(1732100300000).toISOString(),
      }),
    ]);
  });

  it('threads a reply to a comment under its post with the parent comment, and reads visitor posts', () => {
    const { events } = facebook.normalize(page(), {
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: 1732100000,
          changes: [
            { field: 'feed', value: { item: 'comment', verb: 'add', from: { id: '62', name: 'Léa' }, post_id: `${PAGE_ID}_9`, comment_id: '9_12', parent_id: '9_11', message: 'same here', created_time: 1732100001 } },
            { field: 'feed', value: { item: 'status', verb: 'add', from: { id: '63', name: 'Tom' }, post_id: `${PAGE_ID}_77`, message: 'Lost luggage again!', created_time: 1732100002 } },
            { field: 'feed', value: { item: 'photo', verb: 'add', from: { id: '64' }, post_id: `${PAGE_ID}_78`, photo: 'https://scontent.example/p.jpg', created_time: 1732100003 } },
          ],
        },
      ],
    });
    expect(events.map((event) => [event.externalId, event.externalThreadId, event.externalParentId, event.visibility, event.text])).toEqual([
      ['9_12', `${PAGE_ID}_9`, '9_11', 'public', 'same here'],
      [`${PAGE_ID}_77`, `${PAGE_ID}_77`, undefined, 'public', 'Lost luggage again!'],
      [`${PAGE_ID}_78`, `${PAGE_ID}_78`, undefined, 'public', ''],
    ]);
    expect(events[2]?.attachments).toEqual([{ type: 'image', url: 'https://scontent.example/p.jpg' }]);
  });

  it('turns edited into edit and remove into delete; ignores reactions, likes, shares and other fields', () => {
    const edited = facebook.normalize(page(), feed({ item: 'comment', verb: 'edited', from: { id: '62' }, post_id: 'p', comment_id: 'c', message: 'new text', created_time: 1732100100 }));
    expect(edited.events).toEqual([expect.objectContaining({ action: 'edit', externalId: 'c', text: 'new text' })]);
    const removed = facebook.normalize(page(), feed({ item: 'comment', verb: 'remove', post_id: 'p', comment_id: 'c', created_time: 1732100200 }));
    expect(removed.events).toEqual([expect.objectContaining({ action: 'delete', externalId: 'c' })]);

    const { events, ignored } = facebook.normalize(page(), {
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: 1,
          changes: [
            { field: 'feed', value: { item: 'reaction', verb: 'add', reaction_type: 'like', from: { id: '1' }, post_id: 'p' } },
            { field: 'feed', value: { item: 'like', verb: 'add', from: { id: '1' }, post_id: 'p' } },
            { field: 'feed', value: { item: 'share', verb: 'add', from: { id: '1' }, post_id: 'p', share_id: 's' } },
            { field: 'feed', value: { item: 'comment', verb: 'hide', from: { id: '1' }, post_id: 'p', comment_id: 'c' } },
            { field: 'ratings', value: { reviewer_id: '1' } },
          ],
        },
      ],
    });
    expect(events).toEqual([]);
    expect(ignored).toEqual(['feed.reaction', 'feed.like', 'feed.share', 'feed.comment.hide', 'ratings']);
  });

  it("marks the Page's own comment as an echo", () => {
    const { events } = facebook.normalize(page(), feed({ item: 'comment', verb: 'add', from: { id: PAGE_ID, name: 'Acme Air' }, post_id: 'p', comment_id: 'c9', parent_id: 'p_c1', message: 'We are on it' }));
    expect(events).toEqual([expect.objectContaining({ action: 'echo', externalId: 'c9', text: 'We are on it' })]);
  });

  it('reads Messenger attachments, stickers, quick replies, postbacks, echoes and read receipts; ignores the rest by type', () => {
    const { events, ignored } = facebook.normalize(
      page(),
      messaging(
        fromCustomer({ message: { mid: 'm1', attachments: [{ type: 'image', payload: { url: 'https://cdn.example/a.jpg' } }, { type: 'file', payload: { url: 'https://cdn.example/b.pdf' } }] } }),
        fromCustomer({ message: { mid: 'm2', attachments: [{ type: 'image', payload: { url: 'https://cdn.example/s.png', sticker_id: 369239263222822 } }] } }),
        fromCustomer({ message: { mid: 'm3', text: 'Yes please', quick_reply: { payload: 'CONFIRM_REBOOK' } } }),
        fromCustomer({ postback: { mid: 'm4', title: 'Talk to a person', payload: 'HUMAN' } }),
        { sender: { id: PAGE_ID }, recipient: { id: '7100000000000001' }, timestamp: 1732100400000, message: { mid: 'm5', is_echo: true, app_id: 1, metadata: '65a1b2c3d4e5f60718293a4b', text: 'On it!' } },
        fromCustomer({ read: { watermark: 1732100500000 } }),
        fromCustomer({ delivery: { mids: ['m5'], watermark: 1732100450000 } }),
        fromCustomer({ reaction: { mid: 'm5', action: 'react', reaction: 'love', emoji: '❤️' } }),
        fromCustomer({ optin: { ref: 'x' } }),
        fromCustomer({ brand_new_thing: { x: 1 } }),
      ),
    );
    expect(events.map((event) => [event.action, event.externalId, event.text])).toEqual([
      ['create', 'm1', ''],
      ['create', 'm2', ''],
      ['create', 'm3', 'Yes please'],
      ['create', 'm4', 'Talk to a person'],
      ['echo', 'm5', 'On it!'],
      ['read', 'read:7100000000000001:1732100500000', ''],
    ]);
    expect(events[0]?.attachments).toEqual([
      { type: 'image', url: 'https://cdn.example/a.jpg' },
      { type: 'file', url: 'https://cdn.example/b.pdf' },
    ]);
    expect(events[1]?.attachments).toEqual([{ type: 'sticker', url: 'https://cdn.example/s.png' }]);
    expect(events[2]?.tags).toEqual(['quick_reply:CONFIRM_REBOOK']);
    expect(events[4]).toMatchObject({ author: { externalId: PAGE_ID }, recipient: { externalId: '7100000000000001' }, externalThreadId: '7100000000000001', outboundMessageId: '65a1b2c3d4e5f60718293a4b' });
    expect(events[3]?.tags).toEqual(['postback:HUMAN']);
    expect(events[4]).toMatchObject({ outboundMessageId: '65a1b2c3d4e5f60718293a4b', externalThreadId: '7100000000000001', visibility: 'private' });
    expect(events[5]?.sentAt).toBe(new Date(1732100500000).toISOString());
    expect(ignored).toEqual(['delivery', 'reaction', 'optin', 'brand_new_thing']);
  });

  it('keeps text exactly as sent (emoji, right-to-left, zero-width)', () => {
    const text = 'مرحبا 👋🏽\u200b  two  spaces\n';
    const { events } = facebook.normalize(page(), messaging(fromCustomer({ message: { mid: 'mx', text } })));
    expect(events[0]?.text).toBe(text);
  });

  it('names the field of a shape it cannot read', () => {
    expect(() => facebook.normalize(page(), { object: 'page' })).toThrow(new MalformedPayload('entry: Invalid input: expected array, received undefined'));
    expect(() => facebook.normalize(page(), { object: 'instagram', entry: [] })).toThrow(/^object: expected "page"/);
    expect(() => facebook.normalize(page(), feed({ item: 'comment', verb: 'add', from: { id: '1' }, post_id: 'p' }))).toThrow('entry.0.changes.0.value.comment_id: required for a comment');
    expect(() => facebook.normalize(page(), messaging({ sender: { id: '1' }, recipient: { id: PAGE_ID }, message: { mid: 'm' } }))).toThrow(/^entry\.0\.messaging\.0\.timestamp: /);
    expect(() => facebook.normalize(page(), messaging(fromCustomer({ message: { text: 'no mid' } })))).toThrow(/^entry\.0\.messaging\.0\.message\.mid: /);
  });

  it('splits a batch by entry.id', () => {
    const body = {
      object: 'page',
      entry: [
        { id: PAGE_ID, time: 1, changes: [] },
        { id: '555', time: 1, changes: [] },
        { id: PAGE_ID, time: 2, messaging: [] },
      ],
    };
    expect(facebook.split?.(page(), body)).toEqual([
      { externalAccountId: PAGE_ID, body: { object: 'page', entry: [body.entry[0], body.entry[2]] } },
      { externalAccountId: '555', body: { object: 'page', entry: [body.entry[1]] } },
    ]);
  });
});

describe('facebook send', () => {
  it('answers a comment publicly with POST /{comment-id}/comments', async () => {
    const sent = await facebook.send(page(), reply({ inReplyToExternalId: '900_1100', threadExternalId: `${PAGE_ID}_900` }));
    const [request] = fake.requestsTo('POST', '/900_1100/comments');
    expect(request?.body).toEqual({ message: 'Thanks, we are on it' });
    expect(request?.headers.authorization).toBe(`Bearer ${PAGE_TOKEN}`);
    expect(request?.query.appsecret_proof).toBe(hmacSha256(APP_SECRET, PAGE_TOKEN, 'hex'));
    expect(sent.externalId).toMatch(/^1100_\d+$/);
  });

  it('sends a Messenger message inside the 24-hour window as RESPONSE with our id as metadata', async () => {
    const message = reply({ visibility: 'private', recipientExternalId: '7100', lastCustomerMessageAt: new Date(Date.now() - 3_600_000).toISOString() });
    const sent = await facebook.send(page(), message);
    expect(fake.requestsTo('POST', '/me/messages').map((request) => request.body)).toEqual([
      { recipient: { id: '7100' }, message: { text: message.text, metadata: message.messageId }, messaging_type: 'RESPONSE' },
    ]);
    expect(sent.externalId).toMatch(/^m_/);
  });

  it('answers a public comment privately with recipient.comment_id', async () => {
    await facebook.send(page(), reply({ visibility: 'private', inReplyToExternalId: '900_1100', inReplyToVisibility: 'public', recipientExternalId: '6200' }));
    expect(fake.requestsTo('POST', '/me/messages')[0]?.body).toMatchObject({ recipient: { comment_id: '900_1100' }, messaging_type: 'RESPONSE' });
  });

  it('refuses a message more than 24 hours after the customer wrote, without calling Meta', async () => {
    const late = reply({ visibility: 'private', recipientExternalId: '7100', lastCustomerMessageAt: new Date(Date.now() - 30 * 3_600_000).toISOString() });
    const refusal = await facebook.send(page(), late).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PermanentFailure);
    expect((refusal as Error).message).toMatch(/^The customer last wrote more than 24 hours ago; Messenger allows no reply/);
    // The bot never uses the human agent tag, even where the channel allows it.
    await expect(facebook.send(page({ humanAgentTag: true }), { ...late, sentBy: 'bot' })).rejects.toThrow(/never the bot/);
    // Nor anyone after 7 days.
    await expect(
      facebook.send(page({ humanAgentTag: true }), { ...late, lastCustomerMessageAt: new Date(Date.now() - 8 * 24 * 3_600_000).toISOString() }),
    ).rejects.toThrow(/more than 7 days/);
    expect(fake.requests).toEqual([]);
  });

  it('uses the HUMAN_AGENT tag for a person within 7 days where the channel enables it', async () => {
    await facebook.send(page({ humanAgentTag: true }), reply({ visibility: 'private', recipientExternalId: '7100', lastCustomerMessageAt: new Date(Date.now() - 3 * 24 * 3_600_000).toISOString() }));
    expect(fake.requestsTo('POST', '/me/messages')[0]?.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('maps 429 with X-Business-Use-Case-Usage to RateLimited at the time Meta names', async () => {
    fake.rateLimitMinutes = 7;
    fake.failNext('rate_limit');
    const before = Date.now();
    const error = await facebook.send(page(), reply({ inReplyToExternalId: 'c1' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimited);
    const retryAt = (error as RateLimited).retryAt.getTime();
    expect(retryAt).toBeGreaterThanOrEqual(before + 7 * 60_000);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 7 * 60_000);
  });

  it('maps 500 to TransientFailure, code 190 to ReauthRequired, code 551 to PermanentFailure, the window error to PermanentFailure', async () => {
    const private_ = reply({ visibility: 'private', recipientExternalId: '7100' });
    fake.failNext('server_error');
    await expect(facebook.send(page(), private_)).rejects.toBeInstanceOf(TransientFailure);
    fake.failNext('token_expired');
    await expect(facebook.send(page(), private_)).rejects.toBeInstanceOf(ReauthRequired);
    fake.failNext('unavailable');
    const unavailable = await facebook.send(page(), private_).catch((error: unknown) => error);
    expect(unavailable).toBeInstanceOf(PermanentFailure);
    expect((unavailable as Error).message).toMatch(/not available on Messenger/);
    fake.failNext('window');
    await expect(facebook.send(page(), private_)).rejects.toThrow(/messaging window/);
    await expect(facebook.send(page(), reply({ inReplyToExternalId: 'c1' }))).resolves.toEqual({ externalId: expect.any(String) as string });
  });

  it('maps a network failure to TransientFailure', async () => {
    await expect(facebook.send({ ...page(), settings: { apiBaseUrl: 'http://127.0.0.1:1/v21.0' } }, reply({ inReplyToExternalId: 'c1' }))).rejects.toBeInstanceOf(TransientFailure);
  });
});

describe('facebook findSent', () => {
  it('finds a comment reply whose answer was lost, and nothing for one never made', async () => {
    const message = reply({ inReplyToExternalId: '900_1100', text: 'Sorry about the app — fixed now' });
    expect(await facebook.findSent?.(page(), message)).toBeNull();
    fake.failNext('drop');
    await expect(facebook.send(page(), message)).rejects.toBeInstanceOf(TransientFailure);
    const found = await facebook.findSent?.(page(), message);
    expect(found?.externalId).toBe(fake.comments.get('900_1100')?.[0]?.id);
    expect(fake.requestsTo('POST', '/900_1100/comments')).toHaveLength(1);
    expect(fake.requestsTo('GET', '/900_1100/comments')[0]?.query).toMatchObject({ order: 'reverse_chronological' });
  });

  it('finds a Messenger message whose answer was lost', async () => {
    const message = reply({ visibility: 'private', recipientExternalId: '7100', text: 'Your booking is back' });
    expect(await facebook.findSent?.(page(), message)).toBeNull();
    fake.failNext('drop');
    await expect(facebook.send(page(), message)).rejects.toBeInstanceOf(TransientFailure);
    expect(await facebook.findSent?.(page(), message)).toEqual({ externalId: fake.conversations.get('7100')?.[0]?.id });
    expect(fake.requestsTo('GET', `/${PAGE_ID}/conversations`)[0]?.query).toMatchObject({ user_id: '7100' });
  });
});

describe('facebook testConnection', () => {
  it('names the Page, refuses a token of another Page, and explains an expired token', async () => {
    expect(await facebook.testConnection(page())).toEqual({ ok: true, account: { id: PAGE_ID, name: 'Acme Air' } });
    expect(fake.requestsTo('GET', '/me')[0]?.query).toMatchObject({ fields: 'id,name' });
    const other = await facebook.testConnection({ ...page(), externalAccountId: '999' });
    expect(other).toMatchObject({ ok: false, error: expect.stringMatching(/not to Page 999/) as string });
    fake.failNext('token_expired');
    expect(await facebook.testConnection(page())).toEqual({ ok: false, error: expect.stringMatching(/expired or was revoked/) as string });
  });
});
