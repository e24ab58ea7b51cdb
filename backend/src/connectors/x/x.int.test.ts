import { PLATFORM_FIXTURES } from '../../test/fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Types } from 'mongoose';
import request from 'supertest';
import { Contact } from '../../contacts/contact.model';
import { RawEvent } from '../../ingest/raw-event.model';
import { FakeXPlatform, type FakeXUser } from '../../test/fakes/x-platform';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeUser } from '../../test/factories';
import { httpServer, testLog, useParley } from '../../test/harness';
import { deliverMessage } from '../../outbound/outbound.processor';
import { makeXChannel, type TestXChannel } from '../../test/x-channels';
import { Message, type MessageDoc } from '../../tickets/message.model';
import { Ticket } from '../../tickets/ticket.model';
import { hmacSha256 } from '../signature';
import { eventually } from '../../test/eventually';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));

const FIXTURES = join(PLATFORM_FIXTURES, 'x');
const fixtureText = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const BRAND = '1470000000000000001';
const brand: FakeXUser = { id: BRAND, name: 'Acme Air', username: 'AcmeAir', verified: true };
const kay: FakeXUser = { id: '23617610', name: 'Kay Jay', username: 'kayjay', verified: true, followers: 24_500_000 };

let fake: FakeXPlatform;
let channel: TestXChannel;
let otherChannel: TestXChannel;
beforeAll(async () => {
  fake = await new FakeXPlatform({ brand }).start();
  channel = await makeXChannel({ accountId: BRAND, settings: { apiBaseUrl: fake.baseUrl } });
  otherChannel = await makeXChannel();
  fake.addUser(kay);
});
afterAll(() => fake.stop());

function post(body: string, secret = channel.consumerSecret, target = channel) {
  return http()
    .post(`/webhooks/x/${target._id.toHexString()}`)
    .set('content-type', 'application/json')
    .set('x-twitter-webhooks-signature', `sha256=${hmacSha256(secret, body, 'base64')}`)
    .send(body);
}

/** Delivers a signed body and waits until the worker has processed it. */
async function deliver(body: unknown): Promise<string> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const { id } = (await post(text).expect(200)).body as { id: string };
  const raw = await eventually(() => RawEvent.findById(id).lean(), (doc) => doc !== null && doc.status !== 'pending', `raw event ${id}`);
  expect(raw?.error).toBeUndefined();
  expect(raw?.status).toBe('processed');
  return id;
}

const messageOf = (externalId: string) => Message.findOne({ channelId: channel._id, externalId }).lean<MessageDoc>();

async function agentAuth(): Promise<Record<string, string>> {
  const user = await makeUser({ role: 'admin' });
  const { token } = (await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200)).body as { token: string };
  return { authorization: `Bearer ${token}` };
}

function tweet(id: string, text: string, user: Partial<FakeXUser> & { id: string }, extra: Record<string, unknown> = {}) {
  return {
    id_str: id,
    text,
    user: { id_str: user.id, screen_name: user.username ?? 'someone', name: user.name ?? 'Someone', followers_count: user.followers ?? 10, verified: user.verified ?? false },
    timestamp_ms: String(Date.now()),
    lang: 'en',
    ...extra,
  };
}

describe('X webhook endpoint', () => {
  it('answers the CRC handshake, and 400 without a crc_token', async () => {
    const response = await http().get(`/webhooks/x/${channel._id.toHexString()}`).query({ crc_token: 'token-1' }).expect(200);
    expect(response.body).toEqual({ response_token: `sha256=${hmacSha256(channel.consumerSecret, 'token-1', 'base64')}` });
    await http().get(`/webhooks/x/${channel._id.toHexString()}`).expect(400);
  });

  it('rejects a bad signature, a changed body and another channel\'s secret with 401, storing nothing', async () => {
    const body = fixtureText('account-activity-mention.json');
    const before = await RawEvent.countDocuments({});
    await post(body, 'not-the-secret').expect(401);
    await post(body.replace('so sad', 'so bad')).set('x-twitter-webhooks-signature', `sha256=${hmacSha256(channel.consumerSecret, body, 'base64')}`).expect(401);
    await post(body, otherChannel.consumerSecret).expect(401);
    await http().post(`/webhooks/x/${channel._id.toHexString()}`).set('content-type', 'application/json').send(body).expect(401);
    expect(await RawEvent.countDocuments({})).toBe(before);
  });
});

describe('X fixtures end to end', () => {
  it('stores the mention as a public ticket from a verified, high-reach author, once however often it is delivered', async () => {
    await deliver(fixtureText('account-activity-mention.json'));
    await deliver(fixtureText('account-activity-mention.json'));
    const message = await messageOf('966399873925914625');
    expect(message).toMatchObject({
      direction: 'inbound',
      visibility: 'public',
      text: '@AcmeAir sooo does anyone else not open the Acme app anymore? Or is it just me...ugh this is so sad',
      externalThreadId: '966399873925914625',
      language: 'en',
      sentAt: new Date('2018-02-21T18:02:11.000Z'),
    });
    expect(await Message.countDocuments({ channelId: channel._id, externalId: '966399873925914625' })).toBe(1);
    const ticket = await Ticket.findById(message?.ticketId).lean();
    expect(ticket).toMatchObject({ origin: 'public', channelKind: 'x', messageCount: 1 });
    const contact = await Contact.findById(message?.contactId).lean();
    expect(contact?.identities).toEqual([
      expect.objectContaining({ kind: 'x', externalId: '23617610', handle: 'kayjay', followers: 24_500_000, verified: true }),
    ]);
  });

  it('threads the reply fixture under the tweet it answers', async () => {
    await deliver(fixtureText('account-activity-reply-in-thread.json'));
    const message = await messageOf('374545667871670272');
    expect(message).toMatchObject({ visibility: 'public', externalParentId: '374540000000000000', text: '@AcmeAir still no bags. Three days. Never flying with you again #lostluggage' });
    const contact = await Contact.findById(message?.contactId).lean();
    expect(contact?.identities[0]).toMatchObject({ kind: 'x', externalId: '1620000001', handle: 'hvsvn', followers: 412 });
  });

  it('stores the DM fixture as a private ticket with its author from the users map', async () => {
    await deliver(fixtureText('account-activity-dm.json'));
    const message = await messageOf('1702000000000000001');
    expect(message).toMatchObject({ visibility: 'private', text: "Hi, it's about booking ABC123, the app logs me out every time", externalThreadId: `23617610-${BRAND}` });
    expect(await Ticket.findById(message?.ticketId).lean()).toMatchObject({ origin: 'private' });
    const contact = await Contact.findById(message?.contactId).lean();
    expect(contact?.identities[0]).toMatchObject({ kind: 'x', externalId: '23617610', handle: 'kayjay' });
  });

  it('accepts the v2 mentions page fixture', async () => {
    await deliver(fixtureText('v2-users-mentions.json'));
    expect(await messageOf('1880000000000000001')).toMatchObject({ language: 'es', text: '@AcmeAir el vuelo AC 204 lleva 3 horas de retraso y nadie dice nada' });
    expect(await messageOf('1880000000000000002')).toMatchObject({ language: 'en' });
  });

  it('stores every tweet of a batched delivery, long posts in full and text exactly as sent', async () => {
    const full = `@AcmeAir ${'مرحبا 😡\u200b שלום '.repeat(15)}end`;
    const ids = ['1900000000000001001', '1900000000000001002', '1900000000000001003'];
    await deliver({
      for_user_id: BRAND,
      tweet_create_events: [
        tweet(ids[0]!, '@AcmeAir first', { id: '501' }),
        tweet(ids[1]!, `${full.slice(0, 130)}… https://t.co/abc`, { id: '502' }, { truncated: true, extended_tweet: { full_text: full } }),
        tweet(ids[2]!, '@AcmeAir third', { id: '503' }),
      ],
      favorite_events: [{ id: 'x' }],
    });
    const stored = await Message.find({ channelId: channel._id, externalId: { $in: ids } }).lean();
    expect(stored).toHaveLength(3);
    expect(stored.find((message) => message.externalId === ids[1])?.text).toBe(full);
  });

  it('marks a deleted tweet deleted and keeps it', async () => {
    const id = '1900000000000002001';
    await deliver({ for_user_id: BRAND, tweet_create_events: [tweet(id, '@AcmeAir I take it back', { id: '601' })] });
    await deliver({ for_user_id: BRAND, tweet_delete_events: [{ status: { id, user_id: '601' }, timestamp_ms: String(Date.now()) }] });
    expect(await messageOf(id)).toMatchObject({ deleted: true, text: '@AcmeAir I take it back' });
  });

  it('routes a delivery for another account of the same X app to that account\'s channel', async () => {
    const sibling = await makeXChannel({ accountId: '1470000000000000002', consumerSecret: channel.consumerSecret });
    const body = JSON.stringify({ for_user_id: sibling.externalAccountId, tweet_create_events: [tweet('1900000000000005001', '@AcmeCargo where is my parcel', { id: '701' })] });
    await post(body).expect(200);
    const message = await eventually(
      () => Message.findOne({ externalId: '1900000000000005001' }).lean<MessageDoc>(),
      (found) => found !== null,
      'the sibling\'s message',
    );
    expect(message?.channelId.equals(sibling._id)).toBe(true);
  });

  it('ignores typing, follows and unknown event types without an error', async () => {
    const id = await deliver({ for_user_id: BRAND, direct_message_indicate_typing_events: [{}], follow_events: [{}], something_new_events: [{}] });
    expect((await RawEvent.findById(id).lean())?.ignoredTypes).toEqual(['direct_message_indicate_typing_events', 'follow_events', 'something_new_events']);
  });
});

describe('replies through X', () => {
  it('answers a mention in public and a DM in private, and the brand\'s echoes create no customer message', async () => {
    const auth = await agentAuth();
    fake.addMention(kay, '@AcmeAir original', { id: '1900000000000003001' });
    await deliver({ for_user_id: BRAND, tweet_create_events: [tweet('1900000000000003001', '@AcmeAir the app crashes', kay)] });
    const mention = await messageOf('1900000000000003001');
    await http().post(`/api/tickets/${mention!.ticketId!.toHexString()}/messages`).set(auth).send({ text: 'Sorry Kay, we are looking into it', visibility: 'public' }).expect(202);
    const publicReply = await eventually(
      () => Message.findOne({ ticketId: mention!.ticketId, direction: 'outbound' }).lean<MessageDoc>(),
      (message) => message?.deliveryState === 'sent',
      'the public reply to be sent',
    );
    const posted = fake.requests.filter((request) => request.method === 'POST' && request.path === '/tweets').at(-1);
    expect(posted?.body).toEqual({ text: 'Sorry Kay, we are looking into it', reply: { in_reply_to_tweet_id: '1900000000000003001' } });
    expect(publicReply?.externalId).toBe(fake.posted().at(-1)?.id);

    const dm = await messageOf('1702000000000000001');
    await http().post(`/api/tickets/${dm!.ticketId!.toHexString()}/messages`).set(auth).send({ text: 'Could you tell us your booking code?', visibility: 'private' }).expect(202);
    const privateReply = await eventually(
      () => Message.findOne({ ticketId: dm!.ticketId, direction: 'outbound' }).lean<MessageDoc>(),
      (message) => message?.deliveryState === 'sent',
      'the DM to be sent',
    );
    expect(fake.sentDms(kay.id).map((event) => event.text)).toEqual(['Could you tell us your booking code?']);
    expect(privateReply?.externalId).toBe(fake.sentDms(kay.id)[0]?.id);

    // X shows us both: as the brand's own tweet and DM. They are echoes, not customer messages.
    const before = await Message.countDocuments({ channelId: channel._id });
    await deliver({ for_user_id: BRAND, tweet_create_events: [tweet(publicReply!.externalId, 'Sorry Kay, we are looking into it', brand, { in_reply_to_status_id_str: '1900000000000003001' })] });
    await deliver({
      for_user_id: BRAND,
      direct_message_events: [
        { type: 'message_create', id: privateReply!.externalId, created_timestamp: String(Date.now()), message_create: { target: { recipient_id: kay.id }, sender_id: BRAND, message_data: { text: 'Could you tell us your booking code?' } } },
      ],
      users: { [BRAND]: { id: BRAND, name: 'Acme Air', screen_name: 'AcmeAir' } },
    });
    expect(await Message.countDocuments({ channelId: channel._id })).toBe(before);
    expect(await Message.countDocuments({ channelId: channel._id, direction: 'inbound', contactId: null })).toBe(0);
  });

  it('an echo of a reply whose send was in doubt marks it sent', async () => {
    const ticket = await Ticket.findOne({ channelId: channel._id }).lean();
    const platformId = '1900000000000004001';
    const outbound = await Message.create({
      ticketId: ticket!._id,
      channelId: channel._id,
      direction: 'outbound',
      visibility: 'public',
      text: 'We are on it',
      authorUserId: new Types.ObjectId(),
      externalId: platformId,
      deliveryState: 'sending',
      sentAt: new Date(),
    });
    await deliver({ for_user_id: BRAND, tweet_create_events: [tweet(platformId, 'We are on it', brand)] });
    expect(await Message.findById(outbound._id).lean()).toMatchObject({ deliveryState: 'sent', direction: 'outbound' });
    expect(await Message.countDocuments({ channelId: channel._id, externalId: platformId })).toBe(1);
  });
});

describe('a reply whose send was in doubt, when X cannot say whether it has it', () => {
  it('is retried without being sent, and after the last attempt fails with the reason, never sent blind', async () => {
    const ticket = await Ticket.findOne({ channelId: channel._id }).lean();
    const _id = new Types.ObjectId();
    await Message.create({
      _id,
      ticketId: ticket!._id,
      channelId: channel._id,
      direction: 'outbound',
      visibility: 'public',
      text: 'Checking on your bag now',
      authorUserId: new Types.ObjectId(),
      externalId: `parley:${_id.toHexString()}`,
      externalParentId: '1900000000000003001',
      deliveryState: 'sending',
      sentAt: new Date(),
    });
    const deps = { config: parley().config, events: parley().events, locks: parley().locks, queues: parley().queues, log: testLog() };
    const postsBefore = fake.requests.filter((request) => request.method === 'POST').length;

    fake.failNext('unavailable');
    await expect(deliverMessage(_id.toHexString(), deps, false)).rejects.toThrow(/503|temporary/i);
    expect(await Message.findById(_id).lean()).toMatchObject({ deliveryState: 'sending' });

    fake.failNext('unavailable');
    await expect(deliverMessage(_id.toHexString(), deps, true)).resolves.toBe('failed');
    const failed = await Message.findById(_id).lean<MessageDoc>();
    expect(failed?.deliveryState).toBe('failed');
    expect(failed?.failureReason).toMatch(/could not check whether the platform received this reply.*X had a temporary problem/i);
    expect(fake.requests.filter((request) => request.method === 'POST')).toHaveLength(postsBefore);
  });
});
