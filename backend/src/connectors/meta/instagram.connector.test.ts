import { PLATFORM_FIXTURES } from '../../test/fixtures';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FakeMetaPlatform, type FakeMentionedMedia } from '../../test/fakes/meta-platform';
import { PermanentFailure, RateLimited, ReauthRequired, TransientFailure, type ChannelContext, type OutboundMessage } from '../connector';
import { hmacSha256 } from '../signature';
import { instagramConnector as instagram } from './instagram.connector';

const FIXTURES = resolve(PLATFORM_FIXTURES, 'meta');
const fixture = (name: string): unknown => JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8'));

const IG_ID = '17841400000000001';
const PAGE_ID = '104000000000001';
const APP_SECRET = 'ig-app-secret';
const IG_TOKEN = 'IGQ-token';
let fake: FakeMetaPlatform;

function account(settings: Record<string, unknown> = {}): ChannelContext {
  return {
    id: '0123456789abcdef01234568',
    kind: 'instagram',
    externalAccountId: IG_ID,
    settings: { apiBaseUrl: fake.baseUrl, pageId: PAGE_ID, ...settings },
    credentials: { appSecret: APP_SECRET, accessToken: IG_TOKEN, verifyToken: 'ig-verify' },
  };
}

const messageId = () => `${Math.floor(Date.now() / 1000).toString(16)}${'0'.repeat(16)}`;
const reply = (fields: Partial<OutboundMessage>): OutboundMessage => ({ messageId: messageId(), text: 'Checking now ✈️', visibility: 'public', sentBy: 'agent', ...fields });
beforeAll(async () => {
  fake = await FakeMetaPlatform.start({ pageId: PAGE_ID, pageToken: 'page-token-unused', igId: IG_ID, igToken: IG_TOKEN, igUsername: 'acmeair', appSecret: APP_SECRET });
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe('instagram webhook', () => {
  it('answers the handshake and checks the signature with the app secret', () => {
    expect(instagram.handshake(account(), { 'hub.mode': 'subscribe', 'hub.verify_token': 'ig-verify', 'hub.challenge': 'abc' })).toMatchObject({ status: 200, body: 'abc' });
    expect(instagram.handshake(account(), { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': 'abc' }).status).toBe(403);
    const rawBody = Buffer.from(JSON.stringify(fixture('instagram-comment.json')));
    expect(instagram.verify(account(), { rawBody, headers: { 'x-hub-signature-256': `sha256=${hmacSha256(APP_SECRET, rawBody, 'hex')}` } })).toBe(true);
    expect(instagram.verify(account(), { rawBody, headers: { 'x-hub-signature-256': `sha256=${hmacSha256('x', rawBody, 'hex')}` } })).toBe(false);
  });

  it('reads the comment fixture', () => {
    const { events, ignored } = instagram.normalize(account(), fixture('instagram-comment.json'));
    expect(ignored).toEqual([]);
    expect(events).toEqual([
      {
        action: 'create',
        channelKind: 'instagram',
        externalId: '17860000000000001',
        externalThreadId: '17900000000000001',
        visibility: 'public',
        author: { externalId: '17841450000000001', handle: 'travel.with.sam' },
        text: '@acmeair my bag never arrived in Paris 😡 #notgood',
        attachments: [],
        sentAt: new Date(1732100500 * 1000).toISOString(),
        tags: [],
      },
    ]);
  });

  it('reads the direct message fixture', () => {
    const { events } = instagram.normalize(account(), fixture('instagram-message.json'));
    expect(events).toEqual([
      expect.objectContaining({
        action: 'create',
        channelKind: 'instagram',
        externalId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAxOjM0MDI4MjM2Njg0MTcxMDMwMTI0NDI1OTYxNTgzOTI1',
        externalThreadId: '990000000000001',
        visibility: 'private',
        author: { externalId: '990000000000001' },
        text: 'hi, bag tag number is CDG123456, can you check?',
        sentAt: new Date(1732100600000).toISOString(),
      }),
    ]);
  });

  it('reads replies to comments, mentions, story replies and mentions, echoes and removals', () => {
    const body = {
      object: 'instagram',
      entry: [
        {
          id: IG_ID,
          time: 1732100700,
          changes: [
            { field: 'comments', value: { from: { id: '1784', username: 'sam' }, media: { id: 'media1' }, id: 'c2', parent_id: 'c1', text: 'still nothing' } },
            { field: 'comments', value: { from: { id: IG_ID, username: 'acmeair' }, media: { id: 'media1' }, id: 'c3', parent_id: 'c1', text: 'We are on it' } },
            { field: 'mentions', value: { media_id: 'media2', comment_id: 'c4' } },
            { field: 'story_insights', value: { media_id: 'st', impressions: 4 } },
          ],
          messaging: [
            { sender: { id: '99' }, recipient: { id: IG_ID }, timestamp: 1732100700000, message: { mid: 'ig1', text: 'look 👀', reply_to: { story: { url: 'https://lookaside.example/story', id: 'story9' } } } },
            { sender: { id: '99' }, recipient: { id: IG_ID }, timestamp: 1732100701000, message: { mid: 'ig2', attachments: [{ type: 'story_mention', payload: { url: 'https://lookaside.example/s2' } }] } },
            { sender: { id: IG_ID }, recipient: { id: '99' }, timestamp: 1732100702000, message: { mid: 'ig3', text: 'Hello!', is_echo: true } },
            { sender: { id: '99' }, recipient: { id: IG_ID }, timestamp: 1732100703000, message: { mid: 'ig1', is_deleted: true } },
            { sender: { id: '99' }, recipient: { id: IG_ID }, timestamp: 1732100704000, reaction: { mid: 'ig3', action: 'react', reaction: 'love' } },
          ],
        },
      ],
    };
    const { events, ignored, lookups } = instagram.normalize(account(), body);
    expect(events.map((event) => [event.action, event.externalId, event.visibility, event.externalThreadId, event.externalParentId])).toEqual([
      ['create', 'c2', 'public', 'media1', 'c1'],
      ['echo', 'c3', 'public', 'media1', 'c1'],
      ['create', 'ig1', 'private', '99', undefined],
      ['create', 'ig2', 'private', '99', undefined],
      ['echo', 'ig3', 'private', '99', undefined],
      ['delete', 'ig1', 'private', '99', undefined],
    ]);
    // The mention names only its comment: the worker looks it up, normalize calls nobody.
    expect(lookups).toEqual([{ type: 'instagram.mentioned_comment', ids: { comment_id: 'c4', media_id: 'media2' }, notifiedAt: new Date(1732100700 * 1000).toISOString() }]);
    expect(fake.requests).toHaveLength(0);
    // The account's own message belongs to the conversation with the person it went to.
    expect(events[4]).toMatchObject({ author: { externalId: IG_ID }, recipient: { externalId: '99' } });
    expect(events[2]?.attachments).toEqual([{ type: 'story', url: 'https://lookaside.example/story', name: 'story story9' }]);
    expect(events[3]?.attachments).toEqual([{ type: 'story', url: 'https://lookaside.example/s2' }]);
    expect(ignored).toEqual(['story_insights', 'reaction']);
  });

  it('names the field of a comment it cannot read', () => {
    expect(() => instagram.normalize(account(), { object: 'instagram', entry: [{ id: IG_ID, time: 1, changes: [{ field: 'comments', value: { id: 'c', text: 'x', media: { id: 'm' } } }] }] })).toThrow(
      /^entry\.0\.changes\.0\.value\.from: /,
    );
  });
});

describe('instagram mentions', () => {
  const mentions = (...values: unknown[]) => ({ object: 'instagram', entry: [{ id: IG_ID, time: 1732100800, changes: values.map((value) => ({ field: 'mentions', value })) }] });
  const lookupOf = (value: unknown) => {
    const [lookup] = instagram.normalize(account(), mentions(value)).lookups ?? [];
    if (!lookup) throw new Error('no lookup');
    return lookup;
  };
  const complete = (value: unknown) => instagram.complete!(account(), lookupOf(value));

  function mentionedComment(id = '17870000000000001') {
    fake.mentionedComments.set(id, {
      id,
      text: '@acmeair still waiting for my refund 🙄',
      timestamp: '2024-11-20T11:06:40+0000',
      username: 'lena.travels',
      from: { id: '17841460000000001', username: 'lena.travels' },
      media: { id: '17900000000000001', permalink: 'https://www.instagram.com/p/Cxyz/' },
    });
    return { media_id: '17900000000000001', comment_id: id };
  }

  function mentionedMedia(id = '17900000000000002', fields: Partial<FakeMentionedMedia> = {}) {
    fake.mentionedMedia.set(id, {
      id,
      caption: 'Sunset over Lisbon, thanks acmeair for the upgrade',
      username: 'marco.on.the.road',
      timestamp: '2024-11-20T18:30:00+0000',
      permalink: 'https://www.instagram.com/p/Dxyz/',
      media_type: 'IMAGE',
      media_url: 'https://scontent.cdninstagram.com/v/sunset.jpg',
      ...fields,
    });
    return { media_id: id };
  }

  it('reads a comment mention and a caption mention as lookups, and refuses ids that are not Graph ids', () => {
    const { events, lookups } = instagram.normalize(account(), mentions({ media_id: 179000000000001, comment_id: '17870000000000001' }, { media_id: '17900000000000002' }));
    expect(events).toEqual([]);
    expect(lookups).toEqual([
      { type: 'instagram.mentioned_comment', ids: { comment_id: '17870000000000001', media_id: '179000000000001' }, notifiedAt: new Date(1732100800 * 1000).toISOString() },
      { type: 'instagram.mentioned_media', ids: { media_id: '17900000000000002' }, notifiedAt: new Date(1732100800 * 1000).toISOString() },
    ]);
    expect(() => instagram.normalize(account(), mentions({ media_id: '1', comment_id: '2){id}' }))).toThrow(/^entry\.0\.changes\.0\.value\.comment_id: expected a Graph id/);
    expect(() => instagram.normalize(account(), mentions({ comment_id: '2' }))).toThrow(/^entry\.0\.changes\.0\.value\.media_id: /);
  });

  it('looks up a comment mention: its text, its author by Instagram-scoped id, its time and its post', async () => {
    const event = await complete(mentionedComment());
    expect(event).toEqual({
      action: 'create',
      channelKind: 'instagram',
      externalId: '17870000000000001',
      externalThreadId: '17900000000000001',
      visibility: 'public',
      author: { externalId: '17841460000000001', handle: 'lena.travels' },
      text: '@acmeair still waiting for my refund 🙄',
      attachments: [{ type: 'link', url: 'https://www.instagram.com/p/Cxyz/', name: 'The post on Instagram' }],
      sentAt: '2024-11-20T11:06:40.000Z',
      tags: ['mention'],
    });
    const [lookup] = fake.mentionLookups();
    expect(lookup?.path).toBe(`/${IG_ID}`);
    expect(lookup?.query).toMatchObject({
      fields: 'mentioned_comment.comment_id(17870000000000001){id,text,timestamp,username,from{id,username},media{id,permalink}}',
      appsecret_proof: hmacSha256(APP_SECRET, IG_TOKEN, 'hex'),
    });
  });

  it('knows the commenter by username when Graph leaves `from` out, and asks again without it when Graph refuses it', async () => {
    fake.mentionedCommentFrom = 'omitted';
    expect((await complete(mentionedComment())).author).toEqual({ externalId: 'username:lena.travels', handle: 'lena.travels' });
    expect(fake.mentionLookups()).toHaveLength(1);

    fake.mentionedCommentFrom = 'refused';
    expect((await complete(mentionedComment('17870000000000009'))).author).toEqual({ externalId: 'username:lena.travels', handle: 'lena.travels' });
    expect(fake.mentionLookups().slice(1).map((request) => request.query.fields)).toEqual([
      'mentioned_comment.comment_id(17870000000000009){id,text,timestamp,username,from{id,username},media{id,permalink}}',
      'mentioned_comment.comment_id(17870000000000009){id,text,timestamp,username,media{id,permalink}}',
    ]);
  });

  it('looks up a caption mention: the caption, the picture, the post and its owner by username', async () => {
    const event = await complete(mentionedMedia());
    expect(event).toEqual({
      action: 'create',
      channelKind: 'instagram',
      externalId: '17900000000000002',
      externalThreadId: '17900000000000002',
      visibility: 'public',
      author: { externalId: 'username:marco.on.the.road', handle: 'marco.on.the.road' },
      text: 'Sunset over Lisbon, thanks acmeair for the upgrade',
      attachments: [
        { type: 'image', url: 'https://scontent.cdninstagram.com/v/sunset.jpg' },
        { type: 'link', url: 'https://www.instagram.com/p/Dxyz/', name: 'The post on Instagram' },
      ],
      sentAt: '2024-11-20T18:30:00.000Z',
      tags: ['mention'],
    });
    expect(fake.mentionLookups()[0]?.query.fields).toBe('mentioned_media.media_id(17900000000000002){id,caption,username,timestamp,permalink,media_type,media_url}');
    expect((await complete(mentionedMedia('17900000000000003', { media_type: 'VIDEO', media_url: 'https://scontent.cdninstagram.com/v/clip.mp4' }))).attachments[0]).toEqual({
      type: 'video',
      url: 'https://scontent.cdninstagram.com/v/clip.mp4',
    });
  });

  it('says why a lookup failed, as a failure that may pass or one that will not', async () => {
    const value = mentionedComment();
    fake.failMentionLookups('service_unavailable');
    const unavailable = await complete(value).catch((error: unknown) => error);
    expect(unavailable).toBeInstanceOf(TransientFailure);
    expect((unavailable as Error).message).toBe('Instagram did not answer the lookup of the mentioned comment 17870000000000001 (HTTP 503; Meta said: (#2) Service temporarily unavailable)');

    fake.failMentionLookups('rate_limit');
    fake.rateLimitMinutes = 3;
    const limited = await complete(value).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimited);
    expect((limited as RateLimited).retryAt.getTime()).toBeGreaterThan(Date.now() + 2 * 60_000);
    expect((limited as Error).message).toMatch(/^Meta asked us to slow down while looking up the mentioned comment 17870000000000001 \(HTTP 429/);

    fake.failMentionLookups('token_expired');
    await expect(complete(value)).rejects.toBeInstanceOf(ReauthRequired);

    fake.failMentionLookups(null);
    fake.deleted.add(value.comment_id);
    const gone = await complete(value).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(PermanentFailure);
    expect((gone as Error).message).toMatch(/^The mentioned comment 17870000000000001 no longer exists or is not visible to the account/);
    await expect(complete({ media_id: '17900000000000404' })).rejects.toThrow(/^The media 17900000000000404 whose caption mentions the account no longer exists/);
  });

  it('answers a comment mention with POST /{ig-user-id}/mentions and finds the reply after a lost answer', async () => {
    const value = mentionedComment();
    const message = reply({ inReplyToExternalId: value.comment_id, threadExternalId: value.media_id, inReplyToTags: ['mention'] });
    fake.failNext('drop');
    await expect(instagram.send(account(), message)).rejects.toBeInstanceOf(TransientFailure);
    expect(fake.requestsTo('POST', `/${IG_ID}/mentions`).map((request) => request.body)).toEqual([{ media_id: value.media_id, comment_id: value.comment_id, message: 'Checking now ✈️' }]);
    expect(fake.requestsTo('POST', /\/replies$/)).toHaveLength(0);

    expect(await instagram.findSent?.(account(), message)).toEqual({ externalId: fake.comments.get(value.comment_id)?.[0]?.id });
    expect(fake.requestsTo('GET', `/${IG_ID}`).at(-1)?.query.fields).toBe(`username,mentioned_comment.comment_id(${value.comment_id}){replies.limit(50){id,text,username,timestamp}}`);
    expect(await instagram.findSent?.(account(), { ...message, text: 'something else' })).toBeNull();
  });

  it('answers a caption mention naming only the media, and refuses a reply longer than a comment may be', async () => {
    const value = mentionedMedia();
    const message = reply({ inReplyToExternalId: value.media_id, threadExternalId: value.media_id, inReplyToTags: ['mention'] });
    const sent = await instagram.send(account(), message);
    expect(fake.requestsTo('POST', `/${IG_ID}/mentions`).map((request) => request.body)).toEqual([{ media_id: value.media_id, message: 'Checking now ✈️' }]);
    expect(sent).toEqual({ externalId: fake.comments.get(value.media_id)?.[0]?.id });
    expect(await instagram.findSent?.(account(), message)).toEqual(sent);

    await expect(instagram.send(account(), { ...message, text: 'x'.repeat(2_201) })).rejects.toThrow(/^An Instagram comment accepts at most 2,200 characters/);
    expect(fake.requestsTo('POST', `/${IG_ID}/mentions`)).toHaveLength(1);
  });
});

describe('instagram send and findSent', () => {
  it('replies to a comment with POST /{ig-comment-id}/replies and finds it after a lost answer', async () => {
    const message = reply({ inReplyToExternalId: '17860000000000001' });
    fake.failNext('drop');
    await expect(instagram.send(account(), message)).rejects.toBeInstanceOf(TransientFailure);
    expect(fake.requestsTo('POST', '/17860000000000001/replies')[0]?.body).toEqual({ message: 'Checking now ✈️' });
    expect(await instagram.findSent?.(account(), message)).toEqual({ externalId: fake.comments.get('17860000000000001')?.[0]?.id });
    expect(await instagram.findSent?.(account(), { ...message, text: 'something else' })).toBeNull();
  });

  it('sends a direct message with POST /{ig-user-id}/messages, or refuses outside the window', async () => {
    const message = reply({ visibility: 'private', recipientExternalId: '990000000000001', lastCustomerMessageAt: new Date().toISOString() });
    const sent = await instagram.send(account(), message);
    expect(fake.requestsTo('POST', `/${IG_ID}/messages`).map((request) => request.body)).toEqual([
      { recipient: { id: '990000000000001' }, message: { text: message.text, metadata: message.messageId }, messaging_type: 'RESPONSE' },
    ]);
    expect(await instagram.findSent?.(account(), message)).toEqual(sent);
    expect(fake.requestsTo('GET', `/${IG_ID}/conversations`)[0]?.query).toMatchObject({ platform: 'instagram', user_id: '990000000000001' });

    const late = { ...message, lastCustomerMessageAt: new Date(Date.now() - 25 * 3_600_000).toISOString() };
    await expect(instagram.send(account(), late)).rejects.toThrow(/^The customer last wrote more than 24 hours ago; Instagram allows no reply/);
    await instagram.send(account({ humanAgentTag: true }), late);
    expect(fake.requestsTo('POST', `/${IG_ID}/messages`)[1]?.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('answers a comment privately with recipient.comment_id', async () => {
    await instagram.send(account(), reply({ visibility: 'private', inReplyToExternalId: 'c77', inReplyToVisibility: 'public' }));
    expect(fake.requestsTo('POST', `/${IG_ID}/messages`)[0]?.body).toMatchObject({ recipient: { comment_id: 'c77' } });
  });

  it('maps Graph errors to delivery outcomes', async () => {
    const message = reply({ inReplyToExternalId: 'c1' });
    fake.failNext('rate_limit');
    fake.rateLimitMinutes = 2;
    const limited = await instagram.send(account(), message).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimited);
    expect((limited as RateLimited).retryAt.getTime()).toBeGreaterThan(Date.now() + 60_000);
    fake.failNext('server_error');
    await expect(instagram.send(account(), message)).rejects.toBeInstanceOf(TransientFailure);
    fake.failNext('token_expired');
    await expect(instagram.send(account(), message)).rejects.toBeInstanceOf(ReauthRequired);
    fake.failNext('unavailable');
    await expect(instagram.send(account(), message)).rejects.toBeInstanceOf(PermanentFailure);
    // A comment that no longer exists: Graph's code 100, subcode 33.
    fake.deleted.add('c1');
    await expect(instagram.send(account(), message)).rejects.toThrow(/no longer exists/);
  });

  it('tests the connection with GET /{ig-id}', async () => {
    expect(await instagram.testConnection(account())).toEqual({ ok: true, account: { id: IG_ID, name: 'Acme Air', handle: 'acmeair' } });
    expect(fake.requestsTo('GET', `/${IG_ID}`)[0]?.query).toMatchObject({ fields: 'id,username,name' });
    fake.failNext('token_expired');
    expect(await instagram.testConnection(account())).toMatchObject({ ok: false, error: expect.stringMatching(/expired/) as string });
  });
});
