import type { Types } from 'mongoose';
import request from 'supertest';
import type { MoveToPrivateState } from '@parley/common';
import { startParley, type Parley } from '../server';
import { FakeXPlatform, type FakeXUser } from '../test/fakes/x-platform';
import { eventually } from '../test/eventually';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeUser } from '../test/factories';
import { httpServer, testConfig, testLog, useParley } from '../test/harness';
import { makeXChannel, type TestXChannel } from '../test/x-channels';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import { deliverToX } from '../test/deliveries';

/**
 * A move to private survives its worker: an api process takes the request while the worker
 * (a process of its own) is stopped, loses its jobs or stops between the two messages, and
 * the next worker carries the move on from what MongoDB holds, sending nothing twice.
 */

const settings = { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY, SWEEP_INTERVAL_SECONDS: '1' };
const api = useParley(['api'], settings);
const http = () => request(httpServer(api()));
let worker: Parley | undefined;

const BRAND = '1470000000000000099';
const brand: FakeXUser = { id: BRAND, name: 'Acme Air', username: 'AcmeAir' };
let fake: FakeXPlatform;
let channel: TestXChannel;
let auth: Record<string, string>;
const holds: Array<{ release(): void }> = [];

const startWorker = async () => {
  // The sweep for moves runs once a minute among all workers; the stopped worker ran it moments ago, and its
  // gate would hold back the new worker's start-up run to the next minute.
  await api().redis.client.del(`${api().config.QUEUE_PREFIX}:periodic:sweep-moves`);
  worker = await startParley(testConfig(settings), ['worker'], testLog());
};
const stopWorker = async () => {
  await worker?.stop();
  worker = undefined;
};

beforeAll(async () => {
  fake = await new FakeXPlatform({ brand }).start();
  channel = await makeXChannel({ accountId: BRAND, settings: { apiBaseUrl: fake.baseUrl } });
  const admin = await makeUser({ role: 'admin', name: 'Dana Admin' });
  const { token } = (await http().post('/api/auth/login').send({ email: admin.email, password: TEST_PASSWORD }).expect(200)).body as { token: string };
  auth = { authorization: `Bearer ${token}` };
});
afterAll(async () => {
  for (const held of holds) held.release();
  await stopWorker();
  await fake.stop();
});

let sequence = 0;
const nextId = () => `19700000000000${String(++sequence).padStart(5, '0')}`;

/** A customer's mention, ingested by a worker that runs for it. */
async function complaint(name: string): Promise<{ author: FakeXUser; ticketId: Types.ObjectId }> {
  const author: FakeXUser = { id: `3100${String(++sequence).padStart(4, '0')}`, name, username: name.toLowerCase().replace(/\W+/g, '') };
  fake.addUser(author);
  const tweet = fake.addMention(author, `@AcmeAir ${name} here, my order never came`, { id: nextId() });
  if (!worker) await startWorker();
  const raw = await deliverToX(httpServer(api()), channel, {
    tweet_create_events: [{ id_str: tweet.id, text: tweet.text, user: { id_str: author.id, screen_name: author.username, name }, timestamp_ms: String(Date.now()) }],
  });
  expect(raw.status).toBe('processed');
  const stored = await Message.findOne({ channelId: channel._id, externalId: tweet.id }).lean<MessageDoc>();
  return { author, ticketId: stored!.ticketId! };
}

const start = (ticketId: Types.ObjectId, name: string) =>
  http().post(`/api/tickets/${ticketId.toHexString()}/move-to-private`).set(auth).send({ publicText: `Sorry ${name}, see your DMs`, privateText: `Hi ${name}, your order number please?` }).expect(202);
const moveOf = async (ticketId: Types.ObjectId) => (await Ticket.findById(ticketId).lean<TicketDoc>())?.moveToPrivate;
const stateBecomes = (ticketId: Types.ObjectId, state: MoveToPrivateState) =>
  eventually(() => moveOf(ticketId), (move) => move?.state === state, `the move to be ${state}`, 45_000);
const repliesBy = (name: string) => fake.posted().filter((tweet) => tweet.text.startsWith(`Sorry ${name},`));
/** The delivery job a reply has in Redis, gone as after a Redis that restarted empty. */
async function loseJob(messageId: Types.ObjectId): Promise<void> {
  const message = await Message.findById(messageId, { deliveryJobId: 1 }).lean();
  const job = await api().queues.queue('outbound').getJob(message?.deliveryJobId ?? messageId.toHexString());
  await job?.remove();
}

describe('a move to private across worker restarts', () => {
  it('is sent by the next worker when the request came while none ran and its job was lost', async () => {
    const { author, ticketId } = await complaint('Kay');
    await stopWorker();
    await start(ticketId, 'Kay');
    const move = (await moveOf(ticketId))!;
    await loseJob(move.publicMessageId);
    expect(repliesBy('Kay')).toHaveLength(0);

    await startWorker();
    await stateBecomes(ticketId, 'awaiting_customer');
    expect(repliesBy('Kay')).toHaveLength(1);
    expect(fake.sentDms(author.id).map((event) => event.text)).toEqual(['Hi Kay, your order number please?']);
  });

  it('carries on with the DM when the worker stopped between the public reply and the DM', async () => {
    const { author, ticketId } = await complaint('Lena');
    await stopWorker();
    await start(ticketId, 'Lena');
    const move = (await moveOf(ticketId))!;
    // The last worker sent the public reply and stopped before it released the DM.
    await loseJob(move.publicMessageId);
    const reply = fake.addMention(brand, 'Sorry Lena, see your DMs', { id: nextId() });
    await Message.updateOne({ _id: move.publicMessageId }, { $set: { deliveryState: 'sent', externalId: reply.id } });
    expect((await Message.findById(move.privateMessageId).lean<MessageDoc>())?.deliveryState).toBe('waiting');

    await startWorker();
    await stateBecomes(ticketId, 'awaiting_customer');
    expect(fake.sentDms(author.id).map((event) => event.text)).toEqual(['Hi Lena, your order number please?']);
    expect(fake.requests.filter((call) => call.method === 'POST' && call.path === '/tweets' && (call.body as { text?: string }).text?.startsWith('Sorry Lena'))).toHaveLength(0);
  });

  it('never sends the DM twice when X took it and the worker stopped before hearing so', async () => {
    const { author, ticketId } = await complaint('Sam');
    const replyHeld = fake.holdNext();
    holds.push(replyHeld);
    await start(ticketId, 'Sam');
    await replyHeld.carriedOut;
    // X carries out the DM and the connection drops before its answer.
    fake.failNext('drop');
    replyHeld.release();
    const move = (await moveOf(ticketId))!;
    await eventually(() => Message.findById(move.privateMessageId).lean<MessageDoc>(), (message) => message?.deliveryState === 'sending' && fake.sentDms(author.id).length === 1, 'the DM in doubt');
    await stopWorker();
    await loseJob(move.privateMessageId!);

    await startWorker();
    await stateBecomes(ticketId, 'awaiting_customer');
    expect(fake.sentDms(author.id)).toHaveLength(1);
    expect(repliesBy('Sam')).toHaveLength(1);
    const dm = await Message.findById(move.privateMessageId).lean<MessageDoc>();
    expect(dm).toMatchObject({ deliveryState: 'sent', externalId: fake.sentDms(author.id)[0]?.id });
  });
});
