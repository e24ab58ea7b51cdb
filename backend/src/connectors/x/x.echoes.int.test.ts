import { Types } from 'mongoose';
import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { messageSchema, ticketDetailSchema, type ClientToServerEvents, type ServerToClientEvents, type SlaPolicyInput, type TicketDetail } from '@parley/common';
import { RawEvent } from '../../ingest/raw-event.model';
import { deliverMessage, type OutboundDeps } from '../../outbound/outbound.processor';
import { FakeXPlatform, type FakeXUser } from '../../test/fakes/x-platform';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeUser } from '../../test/factories';
import { httpServer, testLog, useParley } from '../../test/harness';
import { makeXChannel, type TestXChannel } from '../../test/x-channels';
import { Message, type MessageDoc } from '../../tickets/message.model';
import { Ticket } from '../../tickets/ticket.model';
import { eventually } from '../../test/eventually';
import { deliverToX } from '../../test/deliveries';

/**
 * The brand's own posts and DMs made outside Parley (the X app, another tool) arrive as
 * echoes through the Account Activity webhook: they belong to the conversation they answer.
 */

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));

const BRAND = '1470000000000000001';
const brand: FakeXUser = { id: BRAND, name: 'Acme Air', username: 'AcmeAir', verified: true };
const kay: FakeXUser = { id: '23617610', name: 'Kay Jay', username: 'kayjay', verified: true, followers: 24_500_000 };
const IPHONE = '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>';

let fake: FakeXPlatform;
let channel: TestXChannel;
let auth: Record<string, string>;
let token: string;
const clients: Client[] = [];

beforeAll(async () => {
  fake = await new FakeXPlatform({ brand }).start();
  channel = await makeXChannel({ accountId: BRAND, settings: { apiBaseUrl: fake.baseUrl } });
  fake.addUser(kay);
  const admin = await makeUser({ role: 'admin' });
  token = ((await http().post('/api/auth/login').send({ email: admin.email, password: TEST_PASSWORD }).expect(200)).body as { token: string }).token;
  auth = { authorization: `Bearer ${token}` };
  const targets = { firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 480 };
  const policy: SlaPolicyInput = { name: 'Social care', targets: { urgent: targets, high: targets, normal: targets, low: targets } };
  await http().post('/api/sla-policies').set(auth).send(policy).expect(201);
});
const holds: Array<{ release(): void }> = [];
afterAll(async () => {
  // A test that failed midway leaves no send waiting for its answer.
  for (const held of holds) held.release();
  for (const client of clients) client.disconnect();
  await fake.stop();
});

/** Delivers a signed Account Activity body and waits until the worker has processed it. */
async function deliver(body: object): Promise<string> {
  const raw = await deliverToX(httpServer(parley()), channel, body);
  expect(raw.error).toBeUndefined();
  expect(raw.status).toBe('processed');
  return raw._id.toHexString();
}

function tweet(id: string, text: string, user: FakeXUser, extra: Record<string, unknown> = {}) {
  return {
    id_str: id,
    text,
    user: { id_str: user.id, screen_name: user.username, name: user.name, followers_count: user.followers ?? 10, verified: user.verified ?? false },
    timestamp_ms: String(Date.now()),
    lang: 'en',
    ...extra,
  };
}

function dm(id: string, from: string, to: string, text: string, extra: Record<string, unknown> = {}) {
  return { type: 'message_create', id, created_timestamp: String(Date.now()), message_create: { target: { recipient_id: to }, sender_id: from, message_data: { text }, ...extra } };
}

const users = { [BRAND]: { id: BRAND, name: 'Acme Air', screen_name: 'AcmeAir' }, [kay.id]: { id: kay.id, name: kay.name, screen_name: kay.username } };

const messageOf = (externalId: string) => Message.findOne({ channelId: channel._id, externalId }).lean<MessageDoc>();
/** The first-response clock as the agent sees it, without the minutes left (they move with the wall clock). */
const clockOf = (ticket: TicketDetail) => {
  const clock = ticket.sla.firstResponse;
  return clock && { state: clock.state, startedAt: clock.startedAt, dueAt: clock.dueAt, completedAt: clock.completedAt };
};
const ticketShown = async (ticketId: Types.ObjectId) => ticketDetailSchema.parse((await http().get(`/api/tickets/${ticketId.toHexString()}`).set(auth).expect(200)).body);
const threadShown = async (ticketId: Types.ObjectId) =>
  messageSchema.array().parse(((await http().get(`/api/tickets/${ticketId.toHexString()}/messages`).set(auth).expect(200)).body as { items: unknown[] }).items);

/** A supervisor's socket: it sees every ticket's events. */
async function supervisorSocket(): Promise<{ created: string[]; removed: string[] }> {
  const client: Client = connect(`http://127.0.0.1:${parley().port}`, { auth: { token }, transports: ['websocket'], reconnection: false });
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  const seen = { created: [] as string[], removed: [] as string[] };
  client.on('message.created', ({ message }) => seen.created.push(message.externalId ?? message.id));
  client.on('message.removed', ({ messageId }) => seen.removed.push(messageId));
  return seen;
}

let sequence = 0;
const nextId = () => `19500000000000${String(++sequence).padStart(5, '0')}`;

describe('the brand answering from the X app', () => {
  it('stores the reply once as outbound in the ticket it answers, leaves the SLA running, and threads the customer\'s answer to it there', async () => {
    const live = await supervisorSocket();
    const mentionId = nextId();
    await deliver({ tweet_create_events: [tweet(mentionId, '@AcmeAir my flight got cancelled, what now?', kay)] });
    const mention = await messageOf(mentionId);
    const ticketId = mention!.ticketId!;
    const opened = await ticketShown(ticketId);
    expect(opened.sla.firstResponse).toMatchObject({ state: 'running' });

    // A colleague answers from the X app: X delivers it as the brand's own tweet, with the @mention X puts in front.
    const replyId = nextId();
    const echo = { tweet_create_events: [tweet(replyId, '@kayjay So sorry Kay, we have rebooked you on the 18:05', brand, { in_reply_to_status_id_str: mentionId, source: IPHONE })] };
    await deliver(echo);

    const stored = await messageOf(replyId);
    expect(stored).toMatchObject({
      direction: 'outbound',
      visibility: 'public',
      deliveryState: 'sent',
      authorUserId: null,
      authorName: 'Acme Air via Twitter for iPhone',
      text: '@kayjay So sorry Kay, we have rebooked you on the 18:05',
      externalParentId: mentionId,
    });
    expect(stored?.ticketId?.equals(ticketId)).toBe(true);
    expect((await threadShown(ticketId)).map((message) => [message.direction, message.externalId])).toEqual([
      ['inbound', mentionId],
      ['outbound', replyId],
    ]);
    await eventually(() => Promise.resolve(live.created), (created) => created.includes(replyId), 'the reply shown live');

    // Not a customer message, and not an answer the SLA counts: nothing the agent must read, the clock still runs.
    const after = await ticketShown(ticketId);
    expect(after).toMatchObject({ status: opened.status, unreadCount: opened.unreadCount, messageCount: opened.messageCount + 1 });
    expect(clockOf(after)).toEqual(clockOf(opened));

    // X delivers again: nothing twice.
    await deliver(echo);
    expect(await Message.countDocuments({ channelId: channel._id, externalId: replyId })).toBe(1);
    expect((await ticketShown(ticketId)).messageCount).toBe(opened.messageCount + 1);

    // Kay answers the brand's reply (a v1.1 tweet names only the tweet it answers): the same ticket.
    const tickets = await Ticket.countDocuments({ channelId: channel._id });
    const answerId = nextId();
    await deliver({ tweet_create_events: [tweet(answerId, '@AcmeAir thanks, but the 18:05 is full too', kay, { in_reply_to_status_id_str: replyId })] });
    expect((await messageOf(answerId))?.ticketId?.equals(ticketId)).toBe(true);
    expect(await Ticket.countDocuments({ channelId: channel._id })).toBe(tickets);
  });

  it('stores a DM the brand sent from another tool in the customer\'s DM ticket', async () => {
    const customerDm = nextId();
    await deliver({ direct_message_events: [dm(customerDm, kay.id, BRAND, 'Hi, my booking ABC123 vanished')], users });
    const ticketId = (await messageOf(customerDm))!.ticketId!;
    const opened = await ticketShown(ticketId);

    const brandDm = nextId();
    await deliver({
      direct_message_events: [dm(brandDm, BRAND, kay.id, 'Found it, Kay: it is back in your app now', { source_app_id: '3033300' })],
      users,
      apps: { '3033300': { id: '3033300', name: 'Sprout Social', url: 'https://sproutsocial.com' } },
    });
    const stored = await messageOf(brandDm);
    expect(stored).toMatchObject({ direction: 'outbound', visibility: 'private', deliveryState: 'sent', authorUserId: null, authorName: 'Acme Air via Sprout Social', contactId: null });
    expect(stored?.ticketId?.equals(ticketId)).toBe(true);
    const after = await ticketShown(ticketId);
    expect(after).toMatchObject({ unreadCount: opened.unreadCount, messageCount: opened.messageCount + 1 });
    expect(clockOf(after)).toEqual(clockOf(opened));
  });

  it('stores nothing for the brand\'s own post that answers no conversation, and says why on the delivery', async () => {
    const messages = await Message.countDocuments({});
    const tickets = await Ticket.countDocuments({});
    const postId = nextId();
    const rawId = await deliver({ tweet_create_events: [tweet(postId, 'Big news: new routes to Lisbon this summer!', brand, { source: IPHONE })] });
    const dmRaw = await deliver({ direct_message_events: [dm(nextId(), BRAND, '555000111', 'Welcome aboard!')], users });
    expect(await Message.countDocuments({})).toBe(messages);
    expect(await Ticket.countDocuments({})).toBe(tickets);
    expect((await RawEvent.findById(rawId).lean())?.ignoredEvents).toEqual([expect.stringMatching(/answers no conversation/)]);
    expect((await RawEvent.findById(dmRaw).lean())?.ignoredEvents).toEqual([expect.stringMatching(/no conversation/)]);
  });
});

describe('the echo of Parley\'s own reply arriving before the send\'s answer', () => {
  const deps = (): OutboundDeps => {
    const { config, events, locks, queues } = parley();
    return { config, events, locks, queues, log: testLog() };
  };

  /** A customer's mention (known to the fake X, so it can be answered) and an agent's reply to it, stored queued without a job. */
  async function mentionAndReply(text: string) {
    const mention = fake.addMention(kay, '@AcmeAir where is my bag?', { id: nextId() });
    await deliver({ tweet_create_events: [tweet(mention.id, mention.text, kay)] });
    const customer = (await messageOf(mention.id))!;
    const _id = new Types.ObjectId();
    await Message.create({
      _id,
      ticketId: customer.ticketId,
      channelId: channel._id,
      direction: 'outbound',
      visibility: 'public',
      text,
      contactId: null,
      authorUserId: new Types.ObjectId(),
      authorName: 'Agent Smith',
      externalId: `parley:${_id.toHexString()}`,
      externalThreadId: customer.externalThreadId,
      externalParentId: customer.externalId,
      deliveryState: 'queued',
      sentAt: new Date(),
      ingestState: 'done',
    });
    await Ticket.updateOne({ _id: customer.ticketId }, { $inc: { messageCount: 1 } });
    return { mentionId: mention.id, ticketId: customer.ticketId!, replyId: _id };
  }

  it('confirms the reply still `sending` when its echo comes first: one message, sent, with X\'s id', async () => {
    const { mentionId, ticketId, replyId } = await mentionAndReply('Sorry Kay, your bag is on the next flight https://acme.example/bags/77');
    const held = fake.holdNext();
    holds.push(held);
    const delivery = deliverMessage(replyId.toHexString(), deps(), false);
    await held.carriedOut;
    const posted = fake.posted().at(-1)!;
    expect(await Message.findById(replyId).lean()).toMatchObject({ deliveryState: 'sending' });

    // X's echo: its @mention in front, the link through t.co.
    await deliver({ tweet_create_events: [tweet(posted.id, '@kayjay Sorry Kay, your bag is on the next flight https://t.co/Xy12AbC', brand, { in_reply_to_status_id_str: mentionId })] });
    expect(await Message.findById(replyId).lean()).toMatchObject({ deliveryState: 'sent', externalId: posted.id });
    expect(await Message.countDocuments({ ticketId, direction: 'outbound' })).toBe(1);

    held.release();
    await expect(delivery).resolves.toBe('sent');
    expect(await Message.findById(replyId).lean()).toMatchObject({ deliveryState: 'sent', externalId: posted.id, authorName: 'Agent Smith' });
    expect(await Message.countDocuments({ channelId: channel._id, externalId: posted.id })).toBe(1);
    expect(await Message.countDocuments({ ticketId, direction: 'outbound' })).toBe(1);
  });

  it('keeps a reply its echo confirmed sent when the send\'s answer is then lost on the last attempt', async () => {
    const { mentionId, replyId } = await mentionAndReply('Sorry Kay, we found your bag in Lisbon');
    const held = fake.holdNext();
    holds.push(held);
    fake.failNext('drop');
    const delivery = deliverMessage(replyId.toHexString(), deps(), true);
    await held.carriedOut;
    const posted = fake.posted().at(-1)!;
    await deliver({ tweet_create_events: [tweet(posted.id, '@kayjay Sorry Kay, we found your bag in Lisbon', brand, { in_reply_to_status_id_str: mentionId })] });

    held.release();
    await expect(delivery).resolves.toBe('found_sent');
    expect(await Message.findById(replyId).lean()).toMatchObject({ deliveryState: 'sent', externalId: posted.id, failureReason: null });
  });

  it('merges an echo it could not match into the reply once X answers with the same id, and tells the inbox to drop the copy', async () => {
    const live = await supervisorSocket();
    // X links a bare domain through t.co as well: the echo's text no longer says what the agent wrote.
    const { mentionId, ticketId, replyId } = await mentionAndReply('Sorry Kay, track your bag at acme.example/bags');
    const before = await Ticket.findById(ticketId).lean();
    const held = fake.holdNext();
    holds.push(held);
    const delivery = deliverMessage(replyId.toHexString(), deps(), false);
    await held.carriedOut;
    const posted = fake.posted().at(-1)!;

    await deliver({ tweet_create_events: [tweet(posted.id, '@kayjay Sorry Kay, track your bag at https://t.co/Bg77Trk', brand, { in_reply_to_status_id_str: mentionId })] });
    const copy = await messageOf(posted.id);
    expect(copy).toMatchObject({ direction: 'outbound', authorUserId: null, deliveryState: 'sent' });
    expect(copy?._id.equals(replyId)).toBe(false);

    held.release();
    await expect(delivery).resolves.toBe('sent');
    expect(await Message.findById(replyId).lean()).toMatchObject({ deliveryState: 'sent', externalId: posted.id, authorName: 'Agent Smith' });
    expect(await Message.findById(copy!._id).lean()).toBeNull();
    expect(await Message.countDocuments({ ticketId, direction: 'outbound' })).toBe(1);
    expect((await Ticket.findById(ticketId).lean())?.messageCount).toBe(before?.messageCount);
    await eventually(() => Promise.resolve(live.removed), (removed) => removed.includes(copy!._id.toHexString()), 'the copy dropped live');

    // The customer answering it still lands in this ticket.
    const answerId = nextId();
    await deliver({ tweet_create_events: [tweet(answerId, '@AcmeAir got it, thanks', kay, { in_reply_to_status_id_str: posted.id })] });
    expect((await messageOf(answerId))?.ticketId?.equals(ticketId)).toBe(true);
  });
});
