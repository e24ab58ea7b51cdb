import type { Types } from 'mongoose';
import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { messageSchema, moveConflictBodySchema, ticketDetailSchema, ticketSchema, type ClientToServerEvents, type MoveToPrivateState, type ServerToClientEvents } from '@parley/common';
import { FakeXPlatform, type FakeXUser } from '../test/fakes/x-platform';
import { eventually } from '../test/eventually';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeTeam, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { makeXChannel, type TestXChannel } from '../test/x-channels';
import { AuditEvent } from '../tickets/audit-event.model';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket } from '../tickets/ticket.model';
import { deliverToX } from '../test/deliveries';

/**
 * Public, then private on X: the public reply under the customer's post, then a direct
 * message to them, through the fake X API; X's webhooks bring their answers back.
 */

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));

const BRAND = '1470000000000000077';
const brand: FakeXUser = { id: BRAND, name: 'Acme Air', username: 'AcmeAir', verified: true };

let fake: FakeXPlatform;
let channel: TestXChannel;
let auth: Record<string, string>;
let token: string;
const clients: Client[] = [];
const holds: Array<{ release(): void }> = [];

beforeAll(async () => {
  fake = await new FakeXPlatform({ brand }).start();
  const team = await makeTeam('Social care');
  channel = await makeXChannel({ accountId: BRAND, settings: { apiBaseUrl: fake.baseUrl }, teamId: team._id });
  const agent = await makeUser({ name: 'Alex Agent', teamIds: [team._id] });
  token = ((await http().post('/api/auth/login').send({ email: agent.email, password: TEST_PASSWORD }).expect(200)).body as { token: string }).token;
  auth = { authorization: `Bearer ${token}` };
});
afterAll(async () => {
  for (const held of holds) held.release();
  for (const client of clients) client.disconnect();
  await fake.stop();
});

let sequence = 0;
const nextId = () => `19600000000000${String(++sequence).padStart(5, '0')}`;
let people = 0;
/** A customer of their own for each test, so their conversations never meet. */
function customer(name: string): FakeXUser {
  people += 1;
  const user: FakeXUser = { id: `2361761${String(people).padStart(3, '0')}`, name, username: name.toLowerCase().replace(/\W+/g, ''), followers: 310 };
  fake.addUser(user);
  return user;
}

/** Delivers a signed Account Activity body and waits until the worker has processed it. */
async function deliver(body: object): Promise<void> {
  expect((await deliverToX(httpServer(parley()), channel, body)).error).toBeUndefined();
}

const tweetOf = (id: string, text: string, user: FakeXUser, extra: Record<string, unknown> = {}) => ({
  id_str: id,
  text,
  user: { id_str: user.id, screen_name: user.username, name: user.name, followers_count: user.followers ?? 10, verified: false },
  timestamp_ms: String(Date.now()),
  lang: 'en',
  ...extra,
});

const dmOf = (id: string, from: string, to: string, text: string) => ({
  type: 'message_create',
  id,
  created_timestamp: String(Date.now()),
  message_create: { target: { recipient_id: to }, sender_id: from, message_data: { text } },
});

/** The customer's public complaint: X knows it (so it can be answered), and its webhook opened a ticket. */
async function complaint(author: FakeXUser, text: string, lang = 'en'): Promise<{ tweetId: string; ticketId: Types.ObjectId }> {
  const tweet = fake.addMention(author, text, { id: nextId() });
  await deliver({ tweet_create_events: [tweetOf(tweet.id, text, author, { lang })] });
  const stored = await Message.findOne({ channelId: channel._id, externalId: tweet.id }).lean<MessageDoc>();
  return { tweetId: tweet.id, ticketId: stored!.ticketId! };
}

const moveOf = (ticketId: Types.ObjectId) => `/api/tickets/${ticketId.toHexString()}/move-to-private`;
const ticketShown = async (ticketId: Types.ObjectId) => ticketDetailSchema.parse((await http().get(`/api/tickets/${ticketId.toHexString()}`).set(auth).expect(200)).body);
const threadShown = async (ticketId: Types.ObjectId) =>
  messageSchema.array().parse(((await http().get(`/api/tickets/${ticketId.toHexString()}/messages`).set(auth).expect(200)).body as { items: unknown[] }).items);
const stateBecomes = (ticketId: Types.ObjectId, state: MoveToPrivateState) =>
  eventually(() => ticketShown(ticketId), (ticket) => ticket.moveToPrivate?.state === state, `the move of ${ticketId.toHexString()} to be ${state}`, 45_000);

/** The move states the inbox sees live, per ticket. */
async function liveStates(): Promise<Map<string, string[]>> {
  const client: Client = connect(`http://127.0.0.1:${parley().port}`, { auth: { token }, transports: ['websocket'], reconnection: false });
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  const seen = new Map<string, string[]>();
  client.on('ticket.updated', ({ ticket }) => {
    const state = ticket.moveToPrivate?.state;
    if (!state) return;
    const states = seen.get(ticket.id) ?? [];
    if (states.at(-1) !== state) states.push(state);
    seen.set(ticket.id, states);
  });
  return seen;
}

describe('moving an X conversation to private', () => {
  it('answers in public, then sends the DM once the reply is out, and threads the customer\'s DM and public answer into the same ticket', async () => {
    const live = await liveStates();
    const kay = customer('Kay Jay');
    const { tweetId, ticketId } = await complaint(kay, '@AcmeAir two hours on hold and nobody answers. Order ACM-99812 never arrived');

    const started = await http()
      .post(moveOf(ticketId))
      .set(auth)
      .send({ publicText: 'So sorry Kay! We have sent you a DM to sort this out.', privateText: 'Hi Kay, Alex from Acme here. Could you confirm the email on your order?' })
      .expect(202);
    const shown = ticketSchema.parse(started.body);
    expect(shown.moveToPrivate).toMatchObject({ state: 'ack_sent', startedBy: { kind: 'user', name: 'Alex Agent' }, reason: null, invitationMessageId: null });
    expect(shown.status).toBe('open');

    const moved = await stateBecomes(ticketId, 'awaiting_customer');
    // X got the reply under the complaint first, then the DM.
    const reply = fake.posted().find((tweet) => tweet.referenced_tweets?.some((reference) => reference.id === tweetId));
    expect(reply?.text).toBe('So sorry Kay! We have sent you a DM to sort this out.');
    expect(fake.sentDms(kay.id).map((event) => event.text)).toEqual(['Hi Kay, Alex from Acme here. Could you confirm the email on your order?']);
    const order = fake.requests.filter((call) => call.method === 'POST').map((call) => call.path);
    expect(order.indexOf('/tweets')).toBeLessThan(order.indexOf(`/dm_conversations/with/${kay.id}/messages`));

    // The thread shows both halves, each marked public or private.
    const thread = await threadShown(ticketId);
    expect(thread.map((message) => [message.direction, message.visibility, message.deliveryState])).toEqual([
      ['inbound', 'public', 'received'],
      ['outbound', 'public', 'sent'],
      ['outbound', 'private', 'sent'],
    ]);
    expect(moved.moveToPrivate?.publicMessageId).toBe(thread[1]?.id);
    expect(moved.moveToPrivate?.privateMessageId).toBe(thread[2]?.id);
    expect(thread[1]?.externalId).toBe(reply?.id);

    // Kay answers by DM: the same ticket, and the move is done.
    const tickets = await Ticket.countDocuments({ channelId: channel._id });
    await deliver({ direct_message_events: [dmOf(nextId(), kay.id, BRAND, 'Sure, it is kay@example.com')], users: { [kay.id]: { id: kay.id, name: kay.name, screen_name: kay.username } } });
    const done = await stateBecomes(ticketId, 'private');
    expect(done.unreadCount).toBe(1);
    // Then in public again, answering our reply: still the same ticket.
    await deliver({ tweet_create_events: [tweetOf(nextId(), '@AcmeAir thanks, answered your DM', kay, { in_reply_to_status_id_str: reply!.id })] });
    expect(await Ticket.countDocuments({ channelId: channel._id })).toBe(tickets);
    expect((await threadShown(ticketId)).map((message) => [message.direction, message.visibility])).toEqual([
      ['inbound', 'public'],
      ['outbound', 'public'],
      ['outbound', 'private'],
      ['inbound', 'private'],
      ['inbound', 'public'],
    ]);
    expect((await ticketShown(ticketId)).moveToPrivate?.state).toBe('private');

    await eventually(() => Promise.resolve(live.get(ticketId.toHexString()) ?? []), (states) => states.includes('private'), 'the states shown live');
    expect(live.get(ticketId.toHexString())).toEqual(['ack_sent', 'awaiting_customer', 'private']);
    const audit = await AuditEvent.findOne({ ticketId, action: 'ticket.move_to_private' }).lean();
    expect(audit).toMatchObject({ actorKind: 'user', actorName: 'Alex Agent', after: { state: 'ack_sent' } });
  });

  it('threads the customer\'s DM into the ticket when it arrives before X confirms our DM', async () => {
    const lena = customer('Lena Ruiz');
    const { ticketId } = await complaint(lena, '@AcmeAir my refund is three weeks late');
    const replyHeld = fake.holdNext();
    holds.push(replyHeld);
    await http().post(moveOf(ticketId)).set(auth).send({ publicText: 'Sorry Lena, we are on it: check your DMs', privateText: 'Hi Lena, which booking is it?' }).expect(202);
    await replyHeld.carriedOut;
    // The public reply is out on X; our DM goes next, and X's answer to it is held.
    const dmHeld = fake.holdNext();
    holds.push(dmHeld);
    replyHeld.release();
    await dmHeld.carriedOut;
    expect(fake.sentDms(lena.id)).toHaveLength(1);
    const ours = await Message.findOne({ ticketId, visibility: 'private', direction: 'outbound' }).lean<MessageDoc>();
    expect(ours?.deliveryState).toBe('sending');

    const tickets = await Ticket.countDocuments({ channelId: channel._id });
    const answerId = nextId();
    await deliver({ direct_message_events: [dmOf(answerId, lena.id, BRAND, 'It is booking QX7R2')], users: { [lena.id]: { id: lena.id, name: lena.name, screen_name: lena.username } } });
    const answer = await Message.findOne({ channelId: channel._id, externalId: answerId }).lean<MessageDoc>();
    expect(answer?.ticketId?.equals(ticketId)).toBe(true);
    expect(await Ticket.countDocuments({ channelId: channel._id })).toBe(tickets);
    expect((await ticketShown(ticketId)).moveToPrivate?.state).toBe('private');

    // X answers our DM at last: it is sent, once, and the move stays private.
    dmHeld.release();
    await eventually(() => Message.findById(ours!._id).lean<MessageDoc>(), (message) => message?.deliveryState === 'sent', 'our DM confirmed');
    expect(fake.sentDms(lena.id)).toHaveLength(1);
    expect((await ticketShown(ticketId)).moveToPrivate?.state).toBe('private');
  });

  it('fails live when X says the customer\'s DMs are closed, and posts the invitation to DM the brand in the customer\'s language, once', async () => {
    const live = await liveStates();
    const ana = customer('Ana García');
    fake.dmsClosed.add(ana.id);
    const { tweetId, ticketId } = await complaint(ana, '@AcmeAir mi pedido no ha llegado', 'es');
    await http().post(moveOf(ticketId)).set(auth).send({ publicText: 'Lo sentimos, Ana: te escribimos por mensaje directo', privateText: 'Hola Ana, ¿nos das tu número de pedido?' }).expect(202);

    const failed = await stateBecomes(ticketId, 'failed');
    expect(failed.moveToPrivate?.reason).toMatch(/does not accept direct messages from the brand's X account.*X said: You cannot send messages to this user/);
    const invitationId = await eventually(() => ticketShown(ticketId), (ticket) => ticket.moveToPrivate?.invitationMessageId !== null).then((ticket) => ticket.moveToPrivate!.invitationMessageId!);
    const invitation = await eventually(() => Message.findById(invitationId).lean<MessageDoc>(), (message) => message?.deliveryState === 'sent', 'the invitation posted');
    expect(invitation?.text).toBe(`Hola Ana, queremos ayudarte en privado, donde tus datos están seguros. Envíanos un mensaje directo: https://x.com/messages/compose?recipient_id=${BRAND}`);
    expect(invitation).toMatchObject({ visibility: 'public', externalParentId: tweetId });
    const repliesToAna = () => fake.posted().filter((tweet) => tweet.referenced_tweets?.some((reference) => reference.id === tweetId));
    expect(repliesToAna()).toHaveLength(2);
    expect(fake.sentDms(ana.id)).toHaveLength(0);
    expect(live.get(ticketId.toHexString())).toEqual(expect.arrayContaining(['ack_sent', 'failed']));

    // The agent retries the DM: X still says no, and no second invitation goes out.
    const privateId = failed.moveToPrivate!.privateMessageId!;
    await http().post(`/api/tickets/${ticketId.toHexString()}/messages/${privateId}/retry`).set(auth).expect(202);
    await eventually(() => Message.findById(privateId).lean<MessageDoc>(), (message) => message?.deliveryState === 'failed', 'the retried DM settled');
    await eventually(() => ticketShown(ticketId), (ticket) => ticket.moveToPrivate?.state === 'failed');
    expect(repliesToAna()).toHaveLength(2);
    expect(await Message.countDocuments({ ticketId, direction: 'outbound', visibility: 'public' })).toBe(2);

    // Ana writes to the brand by DM, as invited: that ends in this ticket, and the move is private.
    fake.dmsClosed.delete(ana.id);
    await deliver({ direct_message_events: [dmOf(nextId(), ana.id, BRAND, 'Hola, es el pedido 4471')], users: { [ana.id]: { id: ana.id, name: ana.name, screen_name: ana.username } } });
    await stateBecomes(ticketId, 'private');
  });

  it('fails the move when the customer deleted their post before the reply went out, and sends no DM', async () => {
    const sam = customer('Sam Lee');
    const { tweetId, ticketId } = await complaint(sam, '@AcmeAir lost my bag, flight AC 311');
    // Deleted on X, and Parley has not heard yet.
    fake.deleted.add(tweetId);
    await http().post(moveOf(ticketId)).set(auth).send({ publicText: 'Sorry Sam, check your DMs', privateText: 'Hi Sam, your bag tag number?' }).expect(202);
    const failed = await stateBecomes(ticketId, 'failed');
    expect(failed.moveToPrivate?.reason).toMatch(/^The public reply could not be sent, so the private message was not sent either: X refused the reply: You attempted to reply to a Tweet that is deleted/);
    const privateMessage = await Message.findById(failed.moveToPrivate!.privateMessageId).lean<MessageDoc>();
    expect(privateMessage).toMatchObject({ deliveryState: 'failed', failureReason: expect.stringMatching(/^Not sent, because the reply it was to follow was not sent/) as string });
    expect(fake.sentDms(sam.id)).toHaveLength(0);
    expect(failed.moveToPrivate?.invitationMessageId).toBeNull();

    // Once Parley knows the post is gone, a new move is refused before anything is sent.
    await deliver({ tweet_delete_events: [{ status: { id: tweetId, user_id: sam.id }, timestamp_ms: String(Date.now()) }] });
    await eventually(() => Message.findOne({ channelId: channel._id, externalId: tweetId }).lean<MessageDoc>(), (message) => message?.deleted === true, 'the post marked deleted');
    const refused = await http().post(moveOf(ticketId)).set(auth).send({ publicText: 'Sorry Sam', privateText: 'Hi Sam' }).expect(409);
    expect(moveConflictBodySchema.parse(refused.body).error).toMatchObject({ reason: 'deleted', field: 'replyToMessageId' });
  });
});
