import { PLATFORM_FIXTURES } from '../../test/fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeXPlatform, type FakeXUser } from '../../test/fakes/x-platform';
import { MalformedPayload, PermanentFailure, RateLimited, ReauthRequired, TransientFailure, type ChannelContext, type OutboundMessage } from '../connector';
import { hmacSha256 } from '../signature';
import { xConnector } from './x.connector';

const FIXTURES = join(PLATFORM_FIXTURES, 'x');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

const BRAND = '1470000000000000001';
const brand: FakeXUser = { id: BRAND, name: 'Acme Air', username: 'AcmeAir', verified: true, followers: 880_000 };
const kay: FakeXUser = { id: '23617610', name: 'Kay Jay', username: 'kayjay', verified: true, followers: 24_500_000 };
const credentials = { consumerKey: 'ck', consumerSecret: 'cs-secret', accessToken: '1470000000000000001-token', accessTokenSecret: 'ats' };

function channelOf(settings: Record<string, unknown> = {}, creds: Record<string, string> = credentials): ChannelContext {
  return { id: 'channel-1', kind: 'x', externalAccountId: BRAND, settings, credentials: creds };
}

function reply(fields: Partial<OutboundMessage> = {}): OutboundMessage {
  return { messageId: 'm1', text: 'Sorry about that, we are on it', visibility: 'public', sentBy: 'agent', ...fields };
}

describe('X webhooks: CRC and signatures', () => {
  it('answers the CRC check with the base64 HMAC-SHA256 of the token under the consumer secret', () => {
    const answer = xConnector.handshake(channelOf(), { crc_token: 'challenge-123' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ response_token: `sha256=${hmacSha256('cs-secret', 'challenge-123', 'base64')}` });
    const missing = xConnector.handshake(channelOf(), {});
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toMatchObject({ error: { field: 'crc_token' } });
  });

  it('accepts only a signature of this very body under this channel\'s consumer secret', () => {
    const rawBody = Buffer.from(JSON.stringify(fixture('account-activity-mention.json')));
    const sign = (secret: string, body: Buffer) => ({ 'x-twitter-webhooks-signature': `sha256=${hmacSha256(secret, body, 'base64')}` });
    expect(xConnector.verify(channelOf(), { rawBody, headers: sign('cs-secret', rawBody) })).toBe(true);
    expect(xConnector.verify(channelOf(), { rawBody, headers: sign('another-secret', rawBody) })).toBe(false);
    expect(xConnector.verify(channelOf(), { rawBody: Buffer.from(`${rawBody.toString()} `), headers: sign('cs-secret', rawBody) })).toBe(false);
    expect(xConnector.verify(channelOf(), { rawBody, headers: {} })).toBe(false);
  });
});

describe('X normalize', () => {
  it('reads a mention with the author\'s reach', () => {
    const { events, ignored } = xConnector.normalize(channelOf(), fixture('account-activity-mention.json'));
    expect(ignored).toEqual([]);
    expect(events).toEqual([
      {
        action: 'create',
        channelKind: 'x',
        externalId: '966399873925914625',
        externalThreadId: '966399873925914625',
        visibility: 'public',
        author: { externalId: '23617610', handle: 'kayjay', displayName: 'Kay Jay', followers: 24_500_000, verified: true, avatarUrl: 'https://pbs.twimg.com/profile_images/1/kayjay_normal.jpg' },
        text: '@AcmeAir sooo does anyone else not open the Acme app anymore? Or is it just me...ugh this is so sad',
        attachments: [],
        language: 'en',
        sentAt: '2018-02-21T18:02:11.000Z',
        tags: [],
      },
    ]);
  });

  it('threads a reply under the tweet it answers', () => {
    const [event] = xConnector.normalize(channelOf(), fixture('account-activity-reply-in-thread.json')).events;
    expect(event).toMatchObject({
      action: 'create',
      externalId: '374545667871670272',
      externalParentId: '374540000000000000',
      externalThreadId: '374540000000000000',
      text: '@AcmeAir still no bags. Three days. Never flying with you again #lostluggage',
      author: { externalId: '1620000001', handle: 'hvsvn', displayName: 'Hasan', followers: 412, verified: false },
      sentAt: '2013-09-02T14:40:00.000Z',
    });
  });

  it('reads a direct message with its author from the users map', () => {
    const [event] = xConnector.normalize(channelOf(), fixture('account-activity-dm.json')).events;
    expect(event).toEqual({
      action: 'create',
      channelKind: 'x',
      externalId: '1702000000000000001',
      externalThreadId: `23617610-${BRAND}`,
      visibility: 'private',
      author: { externalId: '23617610', handle: 'kayjay', displayName: 'Kay Jay', followers: 24_500_000, verified: true, avatarUrl: 'https://pbs.twimg.com/profile_images/1/kayjay_normal.jpg' },
      text: "Hi, it's about booking ABC123, the app logs me out every time",
      attachments: [],
      sentAt: '2018-02-21T18:07:11.000Z',
      tags: [],
    });
  });

  it('reads a v2 mentions page, with authors from includes', () => {
    const { events } = xConnector.normalize(channelOf(), fixture('v2-users-mentions.json'));
    expect(events.map((event) => [event.externalId, event.author.handle, event.author.followers, event.language, event.sentAt])).toEqual([
      ['1880000000000000002', 'happyflyer', 1820, 'en', '2026-11-20T09:12:44.000Z'],
      ['1880000000000000001', 'lucia_viaja', 96, 'es', '2026-11-20T09:10:02.000Z'],
    ]);
    expect(events[1]).toMatchObject({ action: 'create', visibility: 'public', externalThreadId: '1880000000000000001', text: '@AcmeAir el vuelo AC 204 lleva 3 horas de retraso y nadie dice nada', tags: [] });
  });

  it('tags search results as listening and uses the whole text of long posts', () => {
    const page = fixture('v2-users-mentions.json') as { data: Array<Record<string, unknown>> };
    const long = `Acme ${'really '.repeat(60)}late`;
    page.data[0] = { ...page.data[0], text: `${long.slice(0, 270)}…`, note_tweet: { text: long } };
    const { events } = xConnector.normalize(channelOf(), { source: 'search', page });
    expect(events[0]).toMatchObject({ text: long, tags: ['listening'] });
  });

  it('uses extended_tweet.full_text, never the truncated text, and keeps text exactly as sent', () => {
    const body = fixture('account-activity-mention.json') as { tweet_create_events: Array<Record<string, unknown>> };
    const full = '@AcmeAir مرحبا 😡\u200b שלום '.repeat(12);
    body.tweet_create_events[0] = { ...body.tweet_create_events[0], truncated: true, text: `${full.slice(0, 140)}… https://t.co/x`, extended_tweet: { full_text: full } };
    expect(xConnector.normalize(channelOf(), body).events[0]?.text).toBe(full);
  });

  it('names, on the brand\'s own tweets and DMs, the app they were written with and the person a DM went to', () => {
    const own = fixture('account-activity-mention.json') as { tweet_create_events: Array<{ user: Record<string, unknown> } & Record<string, unknown>> };
    own.tweet_create_events[0] = { ...own.tweet_create_events[0]!, user: { ...own.tweet_create_events[0]!.user, id_str: BRAND }, source: '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>' };
    expect(xConnector.normalize(channelOf(), own).events[0]).toMatchObject({ action: 'echo', sentVia: 'Twitter for iPhone' });

    const dm = fixture('account-activity-dm.json') as { direct_message_events: Array<{ message_create: Record<string, unknown> }> } & Record<string, unknown>;
    dm.direct_message_events[0]!.message_create = { target: { recipient_id: '23617610' }, sender_id: BRAND, source_app_id: '3033300', message_data: { text: 'We are on it' } };
    dm.apps = { '3033300': { id: '3033300', name: 'Sprout Social', url: 'https://sproutsocial.com' } };
    const [echo] = xConnector.normalize(channelOf(), dm).events;
    expect(echo).toMatchObject({ action: 'echo', author: { externalId: BRAND }, recipient: { externalId: '23617610', handle: 'kayjay', displayName: 'Kay Jay' }, sentVia: 'Sprout Social' });

    // A customer's DM names neither.
    const customer = xConnector.normalize(channelOf(), fixture('account-activity-dm.json')).events[0];
    expect(customer?.recipient).toBeUndefined();
    expect(customer?.sentVia).toBeUndefined();
  });

  it('turns the brand\'s own tweets and DMs into echoes, deletions into delete and read receipts into read', () => {
    const own = fixture('account-activity-mention.json') as { tweet_create_events: Array<{ user: Record<string, unknown> }> };
    own.tweet_create_events[0]!.user = { ...own.tweet_create_events[0]!.user, id_str: BRAND };
    expect(xConnector.normalize(channelOf(), own).events[0]).toMatchObject({ action: 'echo', externalId: '966399873925914625' });

    const dm = fixture('account-activity-dm.json') as { direct_message_events: Array<{ message_create: Record<string, unknown> }> };
    dm.direct_message_events[0]!.message_create = { target: { recipient_id: '23617610' }, sender_id: BRAND, message_data: { text: 'We are on it' } };
    expect(xConnector.normalize(channelOf(), dm).events[0]).toMatchObject({ action: 'echo', externalId: '1702000000000000001', externalThreadId: `23617610-${BRAND}` });

    const other = xConnector.normalize(channelOf(), {
      for_user_id: BRAND,
      tweet_delete_events: [{ status: { id: '966399873925914625', user_id: '23617610' }, timestamp_ms: '1519236200000' }],
      direct_message_mark_read_events: [{ created_timestamp: '1519236300000', sender_id: '23617610', target: { recipient_id: BRAND }, last_read_event_id: '1702000000000000009' }],
      direct_message_indicate_typing_events: [{ created_timestamp: '1', sender_id: '23617610', target: { recipient_id: BRAND } }],
      favorite_events: [{}, {}],
      follow_events: [{ type: 'follow' }],
      block_events: [{}],
      mute_events: [{}],
      user_event: { revoke: {} },
      brand_new_events: [{}],
    });
    expect(other.events).toEqual([
      expect.objectContaining({ action: 'delete', externalId: '966399873925914625', sentAt: '2018-02-21T18:03:20.000Z' }),
      expect.objectContaining({ action: 'read', author: { externalId: '23617610' }, sentAt: '2018-02-21T18:05:00.000Z' }),
    ]);
    expect(other.ignored).toEqual([
      'direct_message_indicate_typing_events',
      'favorite_events',
      'favorite_events',
      'follow_events',
      'block_events',
      'mute_events',
      'user_event',
      'brand_new_events',
    ]);
  });

  it('throws MalformedPayload naming what is wrong', () => {
    expect(() => xConnector.normalize(channelOf(), ['not', 'an', 'object'])).toThrow(MalformedPayload);
    expect(() => xConnector.normalize(channelOf(), { hello: 'world' })).toThrow(/neither an Account Activity payload/);
    expect(() => xConnector.normalize(channelOf(), { for_user_id: BRAND, tweet_create_events: [{ id_str: '1', text: 'hi' }] })).toThrow(/tweet_create_events\.0\.user/);
    expect(() => xConnector.normalize(channelOf(), { for_user_id: BRAND, tweet_create_events: 'nope' })).toThrow(/tweet_create_events: expected an array/);
  });

  it('splits a delivery by for_user_id', () => {
    const body = fixture('account-activity-dm.json');
    expect(xConnector.split?.(channelOf(), body)).toEqual([{ externalAccountId: BRAND, body }]);
  });
});

describe('X text fidelity and media', () => {
  const mention = () => fixture('account-activity-mention.json') as { tweet_create_events: Array<Record<string, unknown>> };
  const dm = () => fixture('account-activity-dm.json') as { direct_message_events: Array<{ message_create: { message_data: Record<string, unknown> } }> };
  const withTweet = (fields: Record<string, unknown>) => {
    const body = mention();
    body.tweet_create_events[0] = { ...body.tweet_create_events[0], ...fields };
    return xConnector.normalize(channelOf(), body).events[0];
  };
  const withDmData = (messageData: Record<string, unknown>) => {
    const body = dm();
    body.direct_message_events[0]!.message_create.message_data = messageData;
    return xConnector.normalize(channelOf(), body).events[0];
  };
  const photo = (url: string, indices: [number, number], id = '1') => ({
    id_str: id,
    type: 'photo',
    url,
    indices,
    display_url: 'pic.x.com/abc',
    expanded_url: `https://x.com/kayjay/status/1/photo/${id}`,
    media_url_https: `https://pbs.twimg.com/media/photo${id}.jpg`,
  });

  it('stores &, < and > where X sent &amp;, &lt; and &gt;, in text, full_text and DMs, unescaping once only', () => {
    expect(withTweet({ text: '@AcmeAir fish &amp; chips &lt;3 -&gt; &amp;lt;b&amp;gt; &quot;hi&quot; &#39;' })?.text).toBe('@AcmeAir fish & chips <3 -> &lt;b&gt; &quot;hi&quot; &#39;');
    expect(withTweet({ truncated: true, text: 'cut…', extended_tweet: { full_text: '@AcmeAir A &amp; B &lt;&gt; &amp;amp;' } })?.text).toBe('@AcmeAir A & B <> &amp;');
    expect(withDmData({ text: 'Tom &amp; Jerry &lt;tj@example.com&gt;' })?.text).toBe('Tom & Jerry <tj@example.com>');
  });

  it('unescapes v2 pages too', () => {
    const page = fixture('v2-users-mentions.json') as { data: Array<Record<string, unknown>> };
    page.data[0] = { ...page.data[0], text: '@AcmeAir R&amp;D &lt;3' };
    expect(xConnector.normalize(channelOf(), page).events[0]?.text).toBe('@AcmeAir R&D <3');
  });

  it('removes the media link from a polled v2 post too, with the video as its best mp4', () => {
    const page = fixture('v2-users-mentions.json') as { data: Array<Record<string, unknown>>; includes: Record<string, unknown> };
    page.data[0] = {
      ...page.data[0],
      text: '@AcmeAir 🛫 look https://t.co/v2vid',
      attachments: { media_keys: ['7_1'] },
      entities: { urls: [{ start: 16, end: 34, url: 'https://t.co/v2vid', media_key: '7_1' }] },
    };
    page.includes = {
      ...page.includes,
      media: [
        {
          media_key: '7_1',
          type: 'video',
          preview_image_url: 'https://pbs.twimg.com/ext_tw_video_thumb/7/pu/img/still.jpg',
          variants: [
            { bit_rate: 256000, content_type: 'video/mp4', url: 'https://video.twimg.com/ext_tw_video/7/pu/vid/small.mp4' },
            { bit_rate: 2176000, content_type: 'video/mp4', url: 'https://video.twimg.com/ext_tw_video/7/pu/vid/big.mp4' },
          ],
        },
      ],
    };
    const [event] = xConnector.normalize(channelOf(), page).events;
    expect(event?.text).toBe('@AcmeAir 🛫 look');
    expect(event?.attachments).toEqual([{ type: 'video', url: 'https://video.twimg.com/ext_tw_video/7/pu/vid/big.mp4', mimeType: 'video/mp4' }]);
  });

  it('removes the t.co media link X appends to a DM and keeps the media as an attachment', () => {
    const text = 'Here is the receipt https://t.co/AbCdEf123';
    const event = withDmData({
      text,
      attachment: { type: 'media', media: { ...photo('https://t.co/AbCdEf123', [20, 42]), media_url_https: 'https://ton.twitter.com/1.1/ton/data/dm/1702/1703/receipt.jpg' } },
    });
    expect(event?.text).toBe('Here is the receipt');
    expect(event?.attachments).toEqual([{ type: 'image', url: 'https://ton.twitter.com/1.1/ton/data/dm/1702/1703/receipt.jpg', mimeType: 'image/jpeg' }]);
  });

  it('counts entity indices in code points: emoji and escaped characters before the link do not shift the cut', () => {
    // "😡😡 A & B " is 9 code points (11 UTF-16 units, 13 before unescaping): X counts the text as displayed.
    // The link is not at the end here, so only a cut at the right indices removes it.
    const event = withDmData({ text: '😡😡 A &amp; B https://t.co/Zz9 (sent from my phone)', attachment: { type: 'media', media: photo('https://t.co/Zz9', [9, 25]) } });
    expect(event?.text).toBe('😡😡 A & B (sent from my phone)');
  });

  it('falls back to removing the exact link at the end when the indices do not point at it', () => {
    const event = withDmData({ text: 'look 👀 https://t.co/Q1', attachment: { type: 'media', media: photo('https://t.co/Q1', [3, 99]) } });
    expect(event?.text).toBe('look 👀');
    // A link the indices do not name, and that is not at the end, stays: we never cut the customer's words.
    expect(withDmData({ text: 'a https://t.co/Q1 b', attachment: { type: 'media', media: photo('https://t.co/Q1', [0, 1]) } })?.text).toBe('a https://t.co/Q1 b');
  });

  it('a DM that is only media stores empty text', () => {
    expect(withDmData({ text: 'https://t.co/only', attachment: { type: 'media', media: photo('https://t.co/only', [0, 17]) } })?.text).toBe('');
  });

  it('removes the media link from a tweet with photos, keeping every photo', () => {
    const text = '@AcmeAir 💔 my bag &amp; its tag https://t.co/pic1';
    const media = [photo('https://t.co/pic1', [28, 45], '1'), photo('https://t.co/pic1', [28, 45], '2')];
    const event = withTweet({ text, entities: { media: [media[0]] }, extended_entities: { media } });
    expect(event?.text).toBe('@AcmeAir 💔 my bag & its tag');
    expect(event?.attachments).toEqual([
      { type: 'image', url: 'https://pbs.twimg.com/media/photo1.jpg', mimeType: 'image/jpeg' },
      { type: 'image', url: 'https://pbs.twimg.com/media/photo2.jpg', mimeType: 'image/jpeg' },
    ]);
  });

  it('removes the media link from the full text of a long tweet, and keeps a video as its best mp4', () => {
    const full = `@AcmeAir ${'long '.repeat(60)}https://t.co/vid`;
    const video = {
      ...photo('https://t.co/vid', [309, 325]),
      type: 'video',
      media_url_https: 'https://pbs.twimg.com/ext_tw_video_thumb/1/pu/img/thumb.jpg',
      video_info: {
        variants: [
          { content_type: 'application/x-mpegURL', url: 'https://video.twimg.com/ext_tw_video/1/pu/pl/list.m3u8' },
          { bitrate: 832000, content_type: 'video/mp4', url: 'https://video.twimg.com/ext_tw_video/1/pu/vid/640x360/low.mp4' },
          { bitrate: 2176000, content_type: 'video/mp4', url: 'https://video.twimg.com/ext_tw_video/1/pu/vid/1280x720/high.mp4' },
        ],
      },
    };
    const event = withTweet({ truncated: true, text: `${full.slice(0, 100)}… https://t.co/more`, extended_tweet: { full_text: full, extended_entities: { media: [video] } } });
    expect(event?.text).toBe(`@AcmeAir ${'long '.repeat(60).trimEnd()}`);
    expect(event?.attachments).toEqual([{ type: 'video', url: 'https://video.twimg.com/ext_tw_video/1/pu/vid/1280x720/high.mp4', mimeType: 'video/mp4' }]);
  });
});

describe('X API calls against the fake X', () => {
  let fake: FakeXPlatform;
  let channel: ChannelContext;
  beforeEach(async () => {
    fake = await new FakeXPlatform({ brand, accessToken: credentials.accessToken }).start();
    channel = channelOf({ apiBaseUrl: fake.baseUrl });
  });
  afterEach(() => fake.stop());

  it('posts a public reply and a DM through the documented endpoints, signed with OAuth 1.0a', async () => {
    const mention = fake.addMention(kay, '@AcmeAir help');
    const sent = await xConnector.send(channel, reply({ inReplyToExternalId: mention.id }));
    const dm = await xConnector.send(channel, reply({ messageId: 'm2', visibility: 'private', text: 'Could you DM us your booking?', recipientExternalId: kay.id }));

    const posts = fake.requests.filter((request) => request.method === 'POST');
    expect(posts.map((request) => [request.path, request.body])).toEqual([
      ['/tweets', { text: 'Sorry about that, we are on it', reply: { in_reply_to_tweet_id: mention.id } }],
      [`/dm_conversations/with/${kay.id}/messages`, { text: 'Could you DM us your booking?' }],
    ]);
    expect(posts[0]?.headers.authorization).toMatch(/^OAuth .*oauth_consumer_key="ck".*oauth_signature=/);
    expect(sent.externalId).toBe(fake.posted()[0]?.id);
    expect(dm.externalId).toBe(fake.sentDms(kay.id)[0]?.id);
  });

  it('sends with an OAuth 2 user token too', async () => {
    const bearer = await new FakeXPlatform({ brand, bearerToken: 'oauth2-user-token' }).start();
    try {
      const sent = await xConnector.send(channelOf({ apiBaseUrl: bearer.baseUrl }, { consumerSecret: 'cs', oauth2UserToken: 'oauth2-user-token' }), reply());
      expect(bearer.requests[0]?.headers.authorization).toBe('Bearer oauth2-user-token');
      expect(sent.externalId).toBe(bearer.posted()[0]?.id);
    } finally {
      await bearer.stop();
    }
  });

  it('maps 429 to RateLimited at x-rate-limit-reset, 503 and dropped connections to TransientFailure', async () => {
    fake.failNext('rate_limit');
    const limited = await xConnector.send(channel, reply()).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimited);
    expect((limited as RateLimited).retryAt.getTime()).toBe(fake.lastRateLimitReset * 1000);

    fake.failNext('unavailable');
    await expect(xConnector.send(channel, reply())).rejects.toBeInstanceOf(TransientFailure);

    fake.failNext('drop');
    await expect(xConnector.send(channel, reply())).rejects.toBeInstanceOf(TransientFailure);
    // X accepted it before the connection broke: findSent finds it, so it is not sent twice.
    expect(fake.posted()).toHaveLength(1);
    expect(await xConnector.findSent!(channel, reply())).toEqual({ externalId: fake.posted()[0]!.id });
  });

  it('maps 401 to ReauthRequired and refusals to PermanentFailure with X\'s reason', async () => {
    fake.failNext('unauthorized');
    await expect(xConnector.send(channel, reply())).rejects.toThrow(ReauthRequired);
    fake.failNext('unauthorized');
    await expect(xConnector.send(channel, reply())).rejects.toThrow(/The X access token was revoked or expired/);

    fake.failNext('forbidden');
    await expect(xConnector.send(channel, reply())).rejects.toThrow(new PermanentFailure('X refused the reply: You are not permitted to perform this action.'));

    const gone = fake.addMention(kay, '@AcmeAir soon deleted');
    fake.deleted.add(gone.id);
    await expect(xConnector.send(channel, reply({ inReplyToExternalId: gone.id }))).rejects.toThrow(/deleted or not visible to you/);

    await xConnector.send(channel, reply({ text: 'Same words' }));
    const duplicate = await xConnector.send(channel, reply({ text: 'Same words' })).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(PermanentFailure);
    expect((duplicate as Error).message).toMatch(/duplicate content/);

    fake.dmsClosed.add(kay.id);
    fake.addUser(kay);
    // X's 403 for someone who does not accept DMs from the brand is named as such; another 403 is not.
    await expect(xConnector.send(channel, reply({ visibility: 'private', recipientExternalId: kay.id }))).rejects.toThrow(
      new PermanentFailure("This person does not accept direct messages from the brand's X account: they take messages only from accounts they follow, or they blocked it (X said: You cannot send messages to this user.)"),
    );
    fake.dmsClosed.delete(kay.id);
    fake.failNext('forbidden');
    await expect(xConnector.send(channel, reply({ visibility: 'private', recipientExternalId: kay.id }))).rejects.toThrow(new PermanentFailure('X refused the direct message: You are not permitted to perform this action.'));
  });

  it('refuses a reply over 280 weighted characters before calling X', async () => {
    const error = await xConnector.send(channel, reply({ text: '😀'.repeat(141) })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentFailure);
    expect((error as Error).message).toMatch(/282 of 280/);
    await expect(xConnector.send(channel, reply({ text: 'é'.repeat(280) }))).resolves.toEqual({ externalId: expect.any(String) as string });
    expect(fake.requests).toHaveLength(1);
  });

  it('finds a DM X accepted, only among the brand\'s messages since the customer last wrote', async () => {
    fake.addDm(kay, 'Hello?');
    fake.failNext('drop');
    const dm = reply({ visibility: 'private', text: 'Hi Kay', recipientExternalId: kay.id });
    await expect(xConnector.send(channel, dm)).rejects.toBeInstanceOf(TransientFailure);
    expect(await xConnector.findSent!(channel, dm)).toEqual({ externalId: fake.sentDms(kay.id)[0]!.id });
    fake.addDm(kay, 'Thanks');
    expect(await xConnector.findSent!(channel, dm)).toBeNull();
    expect(await xConnector.findSent!(channel, reply({ text: 'never sent' }))).toBeNull();
  });

  it('tests the connection with users/me', async () => {
    expect(await xConnector.testConnection(channel)).toEqual({ ok: true, account: { id: BRAND, name: 'Acme Air', handle: 'AcmeAir' } });
    const other = await xConnector.testConnection({ ...channel, externalAccountId: '42' });
    expect(other).toMatchObject({ ok: false, account: { id: BRAND }, error: expect.stringMatching(/belong to @AcmeAir/) as string });
    fake.failNext('unauthorized');
    expect(await xConnector.testConnection(channel)).toMatchObject({ ok: false, error: expect.stringMatching(/revoked or expired/) as string });
  });

  it('polls mentions with since_id and pagination, and the listening search with its own cursor', async () => {
    const paged = await new FakeXPlatform({ brand, accessToken: credentials.accessToken, pageSize: 2 }).start();
    try {
      const polling = channelOf({ apiBaseUrl: paged.baseUrl, pollMentions: true, listeningQuery: 'flying' });
      const first = [1, 2, 3].map((n) => paged.addMention(kay, `@AcmeAir question ${n}`));
      const heard = paged.addMention({ id: '77', name: 'Lu', username: 'lu' }, 'flying acme tomorrow', { search: true });

      const one = await xConnector.poll!(polling, undefined);
      const mentionPages = one.bodies.filter((body) => (body as { source: string }).source === 'mentions');
      expect(mentionPages).toHaveLength(2);
      expect(one.cursor).toEqual({ mentionsSinceId: first[2]!.id, searchSinceId: heard.id });
      const events = one.bodies.flatMap((body) => xConnector.normalize(polling, body).events);
      expect(events.filter((event) => event.tags.includes('listening')).map((event) => event.externalId)).toEqual([heard.id]);
      expect(events.filter((event) => !event.tags.includes('listening')).map((event) => event.externalId)).toEqual([first[2]!.id, first[1]!.id, first[0]!.id]);

      const later = paged.addMention(kay, '@AcmeAir one more');
      const two = await xConnector.poll!(polling, one.cursor);
      const lastMentions = paged.requests.filter((request) => request.path.endsWith('/mentions')).at(-1);
      expect(lastMentions?.query).toMatchObject({ since_id: first[2]!.id, expansions: expect.stringContaining('author_id') as string });
      expect(lastMentions?.query['tweet.fields']).toEqual(expect.stringContaining('note_tweet'));
      expect(two.bodies.flatMap((body) => xConnector.normalize(polling, body).events.map((event) => event.externalId))).toEqual([later.id]);
      expect(two.cursor).toEqual({ mentionsSinceId: later.id, searchSinceId: heard.id });

      paged.failNext('rate_limit');
      await expect(xConnector.poll!(polling, two.cursor)).rejects.toBeInstanceOf(RateLimited);
    } finally {
      await paged.stop();
    }
  });
});
