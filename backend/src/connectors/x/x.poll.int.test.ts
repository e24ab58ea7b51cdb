import { Channel } from '../../channels/channel.model';
import { RawEvent } from '../../ingest/raw-event.model';
import { pollChannel, schedulePolling, type PollDeps } from '../../poll/poll.processor';
import { startParley, type Parley } from '../../server';
import { FakeXPlatform, type FakeXUser } from '../../test/fakes/x-platform';
import { TEST_CREDENTIALS_KEY } from '../../test/factories';
import { clearRedisPrefix, testConfig, testLog, useParley } from '../../test/harness';
import { makeXChannel, type TestXChannel } from '../../test/x-channels';
import { Message } from '../../tickets/message.model';
import { eventually } from '../../test/eventually';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });

const brand: FakeXUser = { id: '1470000000000000099', name: 'Acme Air', username: 'AcmeAir' };
const lucia: FakeXUser = { id: '3300000000', name: 'Lucía', username: 'lucia_viaja', followers: 96 };
const ben: FakeXUser = { id: '3300000001', name: 'Ben', username: 'ben', followers: 12_000, verified: true };

let fake: FakeXPlatform;
beforeAll(async () => {
  fake = await new FakeXPlatform({ brand, pageSize: 2 }).start();
});
afterAll(() => fake.stop());

const depsOf = (instance: Parley): PollDeps => ({
  queues: instance.queues,
  locks: instance.locks,
  redis: instance.redis.client,
  prefix: instance.config.QUEUE_PREFIX,
  credentialsKey: instance.config.CREDENTIALS_KEY,
  events: instance.events,
});

const messagesOf = (channel: TestXChannel) => Message.find({ channelId: channel._id }).lean();
const mentionRequests = () => fake.requests.filter((request) => request.path === `/users/${brand.id}/mentions`);

describe('X polling', () => {
  let channel: TestXChannel;

  it('ingests mentions on the first poll, and a restarted Parley resumes from the stored since_id', async () => {
    channel = await makeXChannel({ accountId: brand.id, accessToken: 'poll-token', settings: { apiBaseUrl: fake.baseUrl, pollMentions: true, listeningQuery: 'acmeair', pollIntervalSeconds: 3600 } });
    const first = [fake.addMention(lucia, '@AcmeAir el vuelo lleva retraso'), fake.addMention(ben, '@AcmeAir lost my bag'), fake.addMention(lucia, '@AcmeAir ¿hola?')];
    const heard = fake.addMention(ben, 'flying acmeair tomorrow, wish me luck', { search: true });

    await schedulePolling(parley().queues, channel);
    await eventually(() => messagesOf(channel), (messages) => messages.length === 4, 'the first poll to be ingested');
    const stored = await Channel.findById(channel._id).lean();
    expect(stored?.pollCursor).toEqual({ mentionsSinceId: first[2]!.id, searchSinceId: heard.id });
    expect((await Message.findOne({ channelId: channel._id, externalId: heard.id }).lean())?.tags).toEqual(['listening']);
    expect(await Message.findOne({ channelId: channel._id, externalId: first[1]!.id }).lean()).toMatchObject({ visibility: 'public', text: '@AcmeAir lost my bag' });
    // Two pages of two: pagination was followed.
    expect(mentionRequests().map((request) => request.query.pagination_token !== undefined)).toEqual([false, true]);

    const later = fake.addMention(ben, '@AcmeAir still waiting');
    const requestsBefore = mentionRequests().length;
    // A second Parley on the same database, with Redis as new: it schedules from the channels and resumes.
    const restarted = await startParley(testConfig({ CREDENTIALS_KEY: TEST_CREDENTIALS_KEY, QUEUE_PREFIX: `${parley().config.QUEUE_PREFIX}-restart` }), ['worker'], testLog());
    try {
      await eventually(() => messagesOf(channel), (messages) => messages.length === 5, 'the resumed poll to be ingested');
      await eventually(() => Channel.findById(channel._id).lean(), (doc) => doc?.pollCursor?.mentionsSinceId === later.id, 'the cursor to move');
    } finally {
      await restarted.stop();
      await clearRedisPrefix(restarted.config.REDIS_URL, restarted.config.QUEUE_PREFIX);
    }
    const resumed = mentionRequests().slice(requestsBefore);
    expect(resumed[0]?.query.since_id).toBe(first[2]!.id);
    const messages = await messagesOf(channel);
    expect(new Set(messages.map((message) => message.externalId)).size).toBe(messages.length);
    expect(messages.map((message) => message.externalId).sort()).toEqual([...first, heard, later].map((tweet) => tweet.id).sort());
  });

  it('waits for the reset after a 429 and logs other errors for the next tick', async () => {
    const deps = depsOf(parley());
    fake.failNext('rate_limit');
    const limited = await pollChannel(channel._id.toHexString(), deps, testLog());
    expect(limited).toMatchObject({ rateLimitedUntil: expect.any(String) as string });
    const calls = fake.requests.length;
    expect(await pollChannel(channel._id.toHexString(), deps, testLog())).toMatchObject({ rateLimitedForMs: expect.any(Number) as number });
    expect(fake.requests.length).toBe(calls);

    await parley().redis.client.del(`${deps.prefix}:poll:wait:${channel._id.toHexString()}`);
    const cursorBefore = (await Channel.findById(channel._id).lean())?.pollCursor;
    fake.failNext('unavailable');
    expect(await pollChannel(channel._id.toHexString(), deps, testLog())).toMatchObject({ failed: expect.stringMatching(/temporary problem/) as string });
    expect((await Channel.findById(channel._id).lean())?.pollCursor).toEqual(cursorBefore);

    const rawEvents = await RawEvent.countDocuments({ channelId: channel._id });
    expect(await pollChannel(channel._id.toHexString(), deps, testLog())).toMatchObject({ pages: 0 });
    expect(await RawEvent.countDocuments({ channelId: channel._id })).toBe(rawEvents);
  });

  it('marks the channel needs_reauth and stops polling it when X refuses the token', async () => {
    const refused = await makeXChannel({ settings: { apiBaseUrl: fake.baseUrl, pollMentions: true } });
    const deps = depsOf(parley());
    fake.failNext('unauthorized');
    expect(await pollChannel(refused._id.toHexString(), deps, testLog())).toMatchObject({ needsReauth: true });
    expect(await Channel.findById(refused._id).lean()).toMatchObject({ status: 'needs_reauth', statusReason: expect.stringMatching(/revoked or expired/) as string });
    const calls = fake.requests.length;
    expect(await pollChannel(refused._id.toHexString(), deps, testLog())).toMatchObject({ skipped: 'channel does not poll' });
    expect(fake.requests.length).toBe(calls);
    await Channel.deleteOne({ _id: refused._id });
  });

  it('stops polling a channel whose polling was turned off', async () => {
    const queue = parley().queues.queue('poll');
    expect((await queue.getRepeatableJobs()).map((job) => job.id)).toContain(`poll-${channel._id.toHexString()}`);
    await Channel.updateOne({ _id: channel._id }, { $set: { settings: { apiBaseUrl: fake.baseUrl } } });
    await schedulePolling(parley().queues, { ...channel, settings: { apiBaseUrl: fake.baseUrl } });
    expect((await queue.getRepeatableJobs()).map((job) => job.id)).not.toContain(`poll-${channel._id.toHexString()}`);
  });
});
