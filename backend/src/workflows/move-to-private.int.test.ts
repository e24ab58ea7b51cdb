import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import request from 'supertest';
import { SIGNATURE_HEADER, guardrailErrorBodySchema, moveConflictBodySchema, type SimulatorEvent } from '@parley/common';
import { Channel } from '../channels/channel.model';
import { encryptCredentials } from '../channels/credentials';
import { SimulatorReply } from '../connectors/simulator/simulator.connector';
import { hmacSha256 } from '../connectors/signature';
import { RawEvent } from '../ingest/raw-event.model';
import { eventually } from '../test/eventually';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeSimulatorChannel, makeSimulatorEvent, makeTeam, makeTicket, makeUser } from '../test/factories';
import { httpServer, testLog, useParley } from '../test/harness';
import { AuditEvent } from '../tickets/audit-event.model';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import { startMoveToPrivate } from './move-to-private.service';
import { sweepPrivateMoves } from './move-to-private.sync';
import { PrivateMove } from './private-move.model';

/**
 * What a move to private refuses before sending anything, one move at a time, and the whole
 * flow on a simulator channel (the demo brand's), with a person or a rule starting it.
 */

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));
type TestChannel = Awaited<ReturnType<typeof makeSimulatorChannel>>;

let channel: TestChannel;
let auth: Record<string, string>;

beforeAll(async () => {
  const team = await makeTeam('Care');
  channel = await makeSimulatorChannel({ teamId: team._id });
  await Channel.updateOne({ _id: channel._id }, { $set: { 'settings.imitates': 'x' } });
  const agent = await makeUser({ name: 'Casey Agent', teamIds: [team._id] });
  const { token } = (await http().post('/api/auth/login').send({ email: agent.email, password: TEST_PASSWORD }).expect(200)).body as { token: string };
  auth = { authorization: `Bearer ${token}` };
});

async function deliver(...events: SimulatorEvent[]): Promise<void> {
  const body = JSON.stringify({ events });
  const response = await http()
    .post(`/webhooks/simulator/${channel._id.toHexString()}`)
    .set('content-type', 'application/json')
    .set(SIGNATURE_HEADER, `sha256=${hmacSha256(channel.secret, body, 'hex')}`)
    .send(body)
    .expect(200);
  const id = (response.body as { id: string }).id;
  await eventually(() => RawEvent.findById(id).lean(), (raw) => raw !== null && raw.status !== 'pending', `raw event ${id}`);
}

const someone = () => ({ id: `cust-${randomBytes(4).toString('hex')}`, name: 'Kay Jay', handle: 'kayjay' });
const ticketOf = async (externalId: string) => (await Message.findOne({ channelId: channel._id, externalId }).lean<MessageDoc>())!.ticketId!;
const moveOf = (ticketId: Types.ObjectId) => `/api/tickets/${ticketId.toHexString()}/move-to-private`;
const texts = { publicText: 'Sorry to hear that, Kay: we have sent you a private message', privateText: 'Hi Kay, Casey here. What is your order number?' };
const conflict = (body: unknown) => moveConflictBodySchema.parse(body).error;

describe('moving a conversation to private: what is refused before anything is sent', () => {
  it('holds back a public acknowledgement with personal data: 422 naming publicText, nothing sent or started', async () => {
    const mention = makeSimulatorEvent({ kind: 'mention', author: someone(), text: '@acme where is my parcel?' });
    await deliver(mention);
    const ticketId = await ticketOf(mention.id);
    const held = await http()
      .post(moveOf(ticketId))
      .set(auth)
      .send({ ...texts, publicText: 'Sorry Kay, mail us at care@acme.example and we will sort it' })
      .expect(422);
    const { error } = guardrailErrorBodySchema.parse(held.body);
    expect(error).toMatchObject({ code: 'guardrail', field: 'publicText', findings: [expect.objectContaining({ kind: 'email', text: 'care@acme.example' })] });
    expect(await Message.countDocuments({ ticketId, direction: 'outbound' })).toBe(0);
    expect((await Ticket.findById(ticketId).lean<TicketDoc>())?.moveToPrivate ?? null).toBeNull();
  });

  it('refuses a conversation with no public message of the customer, and a channel with no private path', async () => {
    const author = someone();
    const dm = makeSimulatorEvent({ kind: 'dm', author, text: 'Hello, privately' });
    await deliver(dm);
    const refused = await http().post(moveOf(await ticketOf(dm.id))).set(auth).send(texts).expect(409);
    expect(conflict(refused.body)).toMatchObject({ reason: 'no_public_message', field: 'replyToMessageId' });

    const webhook = await Channel.create({
      kind: 'webhook',
      name: 'Reviews site',
      externalAccountId: `reviews-${randomBytes(3).toString('hex')}`,
      status: 'active',
      settings: { callbackUrl: 'http://127.0.0.1:9/reviews' },
      credentialsEncrypted: encryptCredentials({ secret: 'a-long-enough-secret-here' }, TEST_CREDENTIALS_KEY),
    });
    const review = await makeTicket({ channelId: webhook._id, teamId: (await Channel.findById(channel._id).lean())!.teamId ?? null });
    const noPath = await http().post(moveOf(review._id)).set(auth).send(texts).expect(409);
    expect(conflict(noPath.body)).toMatchObject({ reason: 'no_private_path', field: 'privateText', message: expect.stringMatching(/Reviews site has no private channel/) as string });
    expect(await Message.countDocuments({ ticketId: review._id })).toBe(0);
  });

  it('checks both texts as replies of their kind, naming the field, and the message named as the one answered', async () => {
    const mention = makeSimulatorEvent({ author: someone(), text: '@acme my order is late' });
    await deliver(mention);
    const ticketId = await ticketOf(mention.id);
    const empty = await http().post(moveOf(ticketId)).set(auth).send({ ...texts, publicText: '   ' }).expect(400);
    expect(empty.body).toMatchObject({ error: { field: 'publicText' } });
    // The channel imitates X: 280 characters in public, 10,000 in private.
    const long = await http().post(moveOf(ticketId)).set(auth).send({ ...texts, publicText: 'x'.repeat(281) }).expect(400);
    expect(long.body).toMatchObject({ error: { field: 'publicText', message: expect.stringMatching(/at most 280 characters/) as string } });
    await http().post(moveOf(ticketId)).set(auth).send({ ...texts, privateText: 'y'.repeat(4_000) }).expect(202);
    const other = await http().post(moveOf(ticketId)).set(auth).send({ ...texts, sneaky: true }).expect(400);
    expect(other.body).toMatchObject({ error: { field: 'sneaky' } });

    const second = makeSimulatorEvent({ author: someone(), text: '@acme and mine too' });
    await deliver(second);
    const secondTicket = await ticketOf(second.id);
    const ours = await http().post(`/api/tickets/${secondTicket.toHexString()}/messages`).set(auth).send({ text: 'Looking', visibility: 'public' }).expect(202);
    const wrong = await http().post(moveOf(secondTicket)).set(auth).send({ ...texts, replyToMessageId: (ours.body as { id: string }).id }).expect(400);
    expect(wrong.body).toMatchObject({ error: { field: 'replyToMessageId', message: expect.stringMatching(/public message of the customer/) as string } });
  });

  it('lets only one of two moves started at once go ahead: one 202, one 409, each message stored and sent once', async () => {
    const author = someone();
    const mention = makeSimulatorEvent({ author, text: '@acme nobody answers the phone' });
    await deliver(mention);
    const ticketId = await ticketOf(mention.id);
    const answers = await Promise.all([http().post(moveOf(ticketId)).set(auth).send(texts), http().post(moveOf(ticketId)).set(auth).send(texts)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409]);
    expect(conflict(answers.find((answer) => answer.status === 409)?.body).reason).toBe('under_way');
    expect(await PrivateMove.countDocuments({ ticketId })).toBe(1);

    await eventually(() => Ticket.findById(ticketId).lean<TicketDoc>(), (ticket) => ticket?.moveToPrivate?.state === 'awaiting_customer', 'the move to await the customer');
    expect(await Message.countDocuments({ ticketId, direction: 'outbound' })).toBe(2);
    const sent = await SimulatorReply.find({ channelId: channel._id.toHexString(), recipient: author.id }).sort({ sentAt: 1 }).lean();
    expect(sent.map((reply) => [reply.visibility, reply.text])).toEqual([
      ['public', texts.publicText],
      ['private', texts.privateText],
    ]);
    expect((await Ticket.findById(ticketId).lean())?.messageCount).toBe(3);

    // Under way: a third is refused; once the customer answered privately, it is private already.
    const again = await http().post(moveOf(ticketId)).set(auth).send(texts).expect(409);
    expect(conflict(again.body)).toMatchObject({ reason: 'under_way' });
    await deliver(makeSimulatorEvent({ kind: 'dm', author, text: 'It is order A1234' }));
    await eventually(() => Ticket.findById(ticketId).lean<TicketDoc>(), (ticket) => ticket?.moveToPrivate?.state === 'private', 'the move to be private');
    const done = await http().post(moveOf(ticketId)).set(auth).send(texts).expect(409);
    expect(conflict(done.body)).toMatchObject({ reason: 'already_private' });
  });

  it('lets the claim decide between two moves that both saw no move under way', async () => {
    const mention = makeSimulatorEvent({ author: someone(), text: '@acme where is my parcel?' });
    await deliver(mention);
    const ticket = (await Ticket.findById(await ticketOf(mention.id)).lean<TicketDoc>())!;
    const { events, locks, queues } = parley();
    const racers = await Promise.allSettled([1, 2].map(() => startMoveToPrivate({ kind: 'system', name: 'Test' }, ticket, texts, { events, locks, queues, log: testLog() })));
    expect(racers.map((racer) => racer.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = racers.find((racer) => racer.status === 'rejected');
    expect(loser?.status === 'rejected' && (loser.reason as { reason?: string }).reason).toBe('under_way');
    expect(await PrivateMove.countDocuments({ ticketId: ticket._id })).toBe(1);
    expect(await Message.countDocuments({ ticketId: ticket._id, direction: 'outbound' })).toBe(2);
  });

  it('refuses while the customer has an open private conversation, naming it; once that one is solved the move takes its place', async () => {
    const author = someone();
    const dm = makeSimulatorEvent({ kind: 'dm', author, text: 'Hi, about my refund' });
    await deliver(dm);
    const dmTicket = await ticketOf(dm.id);
    const mention = makeSimulatorEvent({ author, text: '@acme still no refund, this is a joke' });
    await deliver(mention);
    const publicTicket = await ticketOf(mention.id);
    expect(publicTicket.equals(dmTicket)).toBe(false);

    const refused = await http().post(moveOf(publicTicket)).set(auth).send(texts).expect(409);
    const number = (await Ticket.findById(dmTicket).lean())!.number;
    expect(conflict(refused.body)).toMatchObject({ reason: 'open_private_ticket', field: 'privateText', ticketId: dmTicket.toHexString(), ticketNumber: number });
    expect(conflict(refused.body).message).toContain(`#${number}`);
    expect(await Message.countDocuments({ ticketId: publicTicket, direction: 'outbound' })).toBe(0);
    expect(await PrivateMove.countDocuments({ ticketId: publicTicket })).toBe(0);

    await http().patch(`/api/tickets/${dmTicket.toHexString()}`).set(auth).send({ status: 'solved' }).expect(200);
    await http().post(moveOf(publicTicket)).set(auth).send(texts).expect(202);
    await eventually(() => Ticket.findById(publicTicket).lean<TicketDoc>(), (ticket) => ticket?.moveToPrivate?.state === 'awaiting_customer', 'the move to await the customer');
    const answer = makeSimulatorEvent({ kind: 'dm', author, text: 'Order A777' });
    await deliver(answer);
    expect((await ticketOf(answer.id)).equals(publicTicket)).toBe(true);
    expect((await Ticket.findById(dmTicket).lean())?.status).toBe('solved');
  });
});

describe('a move whose start was interrupted', () => {
  it('is marked failed by the sweep when its messages were never stored, counts nothing, and a new move can start', async () => {
    const mention = makeSimulatorEvent({ author: someone(), text: '@acme my voucher does not work' });
    await deliver(mention);
    const ticketId = await ticketOf(mention.id);
    const before = (await Ticket.findById(ticketId).lean<TicketDoc>())!;
    const target = (await Message.findOne({ ticketId }).lean<MessageDoc>())!;
    // The claim was made, then the process stopped.
    await PrivateMove.create({
      _id: `${ticketId.toHexString()}:1`,
      ticketId,
      attempt: 1,
      state: 'ack_sent',
      publicMessageId: new Types.ObjectId(),
      privateMessageId: new Types.ObjectId(),
      invitationMessageId: null,
      targetMessageId: target._id,
      startedAt: new Date(),
      startedBy: { kind: 'user', id: null, name: 'Casey Agent' },
      reason: null,
      refusal: null,
      answeredAt: null,
    });
    const { events, locks, queues } = parley();
    await sweepPrivateMoves({ events, locks, queues, log: testLog() }, { staleAfterMs: 0, now: Date.now() + 1_000 });
    const after = (await Ticket.findById(ticketId).lean<TicketDoc>())!;
    expect(after.moveToPrivate).toMatchObject({ state: 'failed', attempt: 1, reason: expect.stringMatching(/^Parley stopped before the messages of this move were stored/) as string });
    expect(after).toMatchObject({ messageCount: before.messageCount, status: before.status, unreadCount: before.unreadCount });

    await http().post(moveOf(ticketId)).set(auth).send(texts).expect(202);
    await eventually(() => Ticket.findById(ticketId).lean<TicketDoc>(), (ticket) => ticket?.moveToPrivate?.state === 'awaiting_customer', 'the second move to await the customer');
    expect((await Ticket.findById(ticketId).lean())?.moveToPrivate).toMatchObject({ attempt: 2 });
  });
});

describe('a move started by an automation rule', () => {
  it('is recorded as the rule\'s, its messages carry the rule\'s name, and it runs like one started by a person', async () => {
    const author = someone();
    const mention = makeSimulatorEvent({ author, text: '@acme I want a refund now' });
    await deliver(mention);
    const ticket = (await Ticket.findById(await ticketOf(mention.id)).lean<TicketDoc>())!;
    const { events, locks, queues } = parley();
    const rule = { kind: 'rule' as const, id: new Types.ObjectId(), name: 'Refund complaints to private' };
    const started = await startMoveToPrivate(rule, ticket, texts, { events, locks, queues, log: testLog() });
    expect(started.moveToPrivate).toMatchObject({ state: 'ack_sent', startedBy: { kind: 'rule', id: rule.id, name: rule.name } });
    await eventually(() => Ticket.findById(ticket._id).lean<TicketDoc>(), (current) => current?.moveToPrivate?.state === 'awaiting_customer', 'the rule\'s move to await the customer');
    const outbound = await Message.find({ ticketId: ticket._id, direction: 'outbound' }).sort({ _id: 1 }).lean<MessageDoc[]>();
    expect(outbound.map((message) => [message.visibility, message.authorUserId, message.authorName])).toEqual([
      ['public', null, rule.name],
      ['private', null, rule.name],
    ]);
    expect(await AuditEvent.findOne({ ticketId: ticket._id, action: 'ticket.move_to_private' }).lean()).toMatchObject({ actorKind: 'rule', actorId: rule.id, actorName: rule.name });
    // An automatic answer is not a person reading the ticket: it stays unread for the team.
    expect((await Ticket.findById(ticket._id).lean())?.unreadCount).toBe(1);
  });
});
