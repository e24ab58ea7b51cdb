import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SIGNATURE_HEADER, type WebhookChannelDelivery } from '@parley/common';
import { startRedis } from '../../../scripts/provision/redis';
import type { RunningServer } from '../../../scripts/provision/ferretdb';
import { Channel } from '../channels/channel.model';
import { encryptCredentials } from '../channels/credentials';
import { hmacSha256 } from '../connectors/signature';
import { RawEvent } from '../ingest/raw-event.model';
import { schedulePolling } from '../poll/poll.processor';
import { startParley, type Parley } from '../server';
import { startWebhookReceiver, type WebhookReceiver } from '../test/fakes/webhook-receiver';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeTeam, makeUser } from '../test/factories';
import { clearRedisPrefix, httpServer, testConfig, testLog } from '../test/harness';
import { Message } from '../tickets/message.model';
import { Ticket } from '../tickets/ticket.model';
import mongoose from 'mongoose';
import { eventually } from '../test/eventually';

/**
 * A Redis of the test's own, restarted empty while work is queued: every accepted delivery
 * is still ingested, the queued reply still delivered once, and polling still scheduled,
 * without restarting Parley.
 */
let redis: RunningServer;
let parley: Parley;
let receiver: WebhookReceiver;

const unique = () => randomBytes(4).toString('hex');
const secret = `secret-${unique()}-${unique()}`;

beforeAll(async () => {
  redis = await startRedis();
  receiver = await startWebhookReceiver(secret);
  parley = await startParley(testConfig({ REDIS_URL: redis.uri, CREDENTIALS_KEY: TEST_CREDENTIALS_KEY, SWEEP_INTERVAL_SECONDS: '1' }), ['api', 'worker'], testLog());
}, 60_000);

afterAll(async () => {
  await mongoose.connection.dropDatabase().catch(() => undefined);
  await parley.stop();
  await clearRedisPrefix(redis.uri, parley.config.QUEUE_PREFIX);
  await Promise.all([redis.stop(), receiver.close()]);
});

async function restartRedisEmpty(): Promise<void> {
  const { port } = redis;
  await redis.stop();
  redis = await startRedis(port);
}

it('recovers every pending delivery, a queued reply and the polling schedules after Redis restarts empty', async () => {
  const http = () => request(httpServer(parley));
  const team = await makeTeam();
  const channel = await Channel.create({
    kind: 'webhook',
    name: `Web chat ${unique()}`,
    externalAccountId: `webhook-${unique()}`,
    settings: { callbackUrl: receiver.url },
    teamId: team._id,
    credentialsEncrypted: encryptCredentials({ secret }, TEST_CREDENTIALS_KEY),
  });
  // A channel that polls (its platform is unreachable; only its schedule matters here).
  const polling = await Channel.create({
    kind: 'x',
    name: `X ${unique()}`,
    externalAccountId: '4242',
    settings: { pollMentions: true, apiBaseUrl: 'http://127.0.0.1:9' },
    credentialsEncrypted: encryptCredentials({ consumerKey: 'k', consumerSecret: 's', accessToken: 't', accessTokenSecret: 'ts' }, TEST_CREDENTIALS_KEY),
  });
  await schedulePolling(parley.queues, polling); // as the channels API does
  const pollSchedules = async () => (await parley.queues.queue('poll').getRepeatableJobs()).filter((job) => job.id === `poll-${polling._id.toHexString()}`);
  await eventually(pollSchedules, (schedules) => schedules.length === 1);

  const deliver = async (events: WebhookChannelDelivery['events']) => {
    const body = JSON.stringify({ events } satisfies WebhookChannelDelivery);
    await http().post(`/webhooks/webhook/${channel._id.toHexString()}`).set('content-type', 'application/json').set(SIGNATURE_HEADER, `sha256=${hmacSha256(secret, body, 'hex')}`).send(body).expect(200);
  };
  const customerMessage = (n: number): WebhookChannelDelivery['events'][number] => ({
    type: 'message',
    id: `m-${n}`,
    conversationId: 'chat-1',
    visibility: 'private',
    author: { id: 'visitor-1', name: 'Kay Jay' },
    text: `message ${n}`,
    sentAt: new Date().toISOString(),
  });
  await deliver([customerMessage(0)]);
  const ticket = await eventually(() => Ticket.findOne({ channelId: channel._id }).lean(), Boolean);

  // The worker stops taking jobs, so work is waiting in Redis when it goes.
  const inbound = parley.queues.queue('inbound');
  const outbound = parley.queues.queue('outbound');
  await Promise.all([inbound.pause(true, true), outbound.pause(true, true)]);
  for (let n = 1; n <= 20; n++) await deliver([customerMessage(n)]);
  const agent = await makeUser({ teamIds: [team._id] });
  const login = await http().post('/api/auth/login').send({ email: agent.email, password: TEST_PASSWORD }).expect(200);
  const reply = await http()
    .post(`/api/tickets/${ticket!._id.toHexString()}/messages`)
    .set('authorization', `Bearer ${(login.body as { token: string }).token}`)
    .send({ text: 'We are on it', visibility: 'private' })
    .expect(202);
  expect(await RawEvent.countDocuments({ channelId: channel._id, status: 'pending' })).toBe(20);

  await restartRedisEmpty();
  await Promise.all([inbound.resume(true), outbound.resume(true)]);

  await eventually(() => RawEvent.countDocuments({ channelId: channel._id, status: 'pending' }), (pending) => pending === 0);
  const stored = await Message.find({ channelId: channel._id, direction: 'inbound' }).lean();
  expect(stored.map((message) => message.externalId).sort()).toEqual(Array.from({ length: 21 }, (_, n) => `m-${n}`).sort());
  const delivered = await eventually(() => Message.findById((reply.body as { id: string }).id).lean(), (message) => message?.deliveryState === 'sent');
  expect(delivered?.deliveryState).toBe('sent');
  expect(receiver.stored.size).toBe(1);
  expect(await eventually(pollSchedules, (schedules) => schedules.length === 1)).toHaveLength(1);
}, 120_000);
