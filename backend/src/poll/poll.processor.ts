import type Redis from 'ioredis';
import type { Types } from 'mongoose';
import { Channel, type ChannelDoc } from '../channels/channel.model';
import { channelContext, markChannelNeedsReauth } from '../channels/channels.service';
import { connectorFor } from '../connectors';
import { RateLimited, ReauthRequired } from '../connectors/connector';
import type { DomainEventBus } from '../events/domain-events';
import { enqueueInbound } from '../ingest/inbound.queue';
import { RawEvent } from '../ingest/raw-event.model';
import type { Locks } from '../lib/locks';
import type { Logger } from '../logger';
import type { QueueFactory } from '../queue/queue.factory';

/**
 * The polling fallback for accounts without webhooks: a repeatable `poll` job per channel
 * asks its connector for what arrived since the stored cursor. Each page is stored as a raw
 * event and queued for the inbound worker, the same exactly-once path a webhook takes; the
 * cursor is saved on the channel afterwards, so a restart resumes where the last poll ended
 * (a crash in between re-reads pages whose messages the unique index already holds).
 */

export interface PollJob {
  channelId: string;
}

export interface PollDeps {
  queues: QueueFactory;
  locks: Locks;
  redis: Redis;
  /** Redis key prefix (QUEUE_PREFIX). */
  prefix: string;
  credentialsKey: string | undefined;
  /** Told when a platform refuses the channel's token (channel.updated). */
  events: DomainEventBus;
}

export const DEFAULT_POLL_INTERVAL_SECONDS = 60;

type PollableChannel = Pick<ChannelDoc, '_id' | 'kind' | 'status' | 'settings'>;

/** A channel polls when its connector can and its settings ask for mentions or listening. */
export function isPollable(channel: PollableChannel): boolean {
  const { pollMentions, listeningQuery } = channel.settings;
  return (
    channel.status === 'active' &&
    connectorFor(channel.kind).poll !== undefined &&
    (pollMentions === true || (typeof listeningQuery === 'string' && listeningQuery.trim() !== ''))
  );
}

const intervalOf = (channel: PollableChannel) =>
  (typeof channel.settings.pollIntervalSeconds === 'number' ? channel.settings.pollIntervalSeconds : DEFAULT_POLL_INTERVAL_SECONDS) * 1000;
// Failures are not retried with backoff: the next tick is the retry.
const POLL_JOB = { attempts: 1, removeOnComplete: true, removeOnFail: true };

// No ":" in the id: bull splits repeat keys on it.
const repeatId = (channelId: string) => `poll-${channelId}`;
const idOf = (channelId: Types.ObjectId | string) => (typeof channelId === 'string' ? channelId : channelId.toHexString());

/** Stops a channel's polling (channel deleted, disabled, or polling turned off). */
export async function unschedulePolling(queues: QueueFactory, channelId: Types.ObjectId | string): Promise<void> {
  const queue = queues.queue<PollJob>('poll');
  const id = repeatId(idOf(channelId));
  for (const repeatable of await queue.getRepeatableJobs()) {
    if (repeatable.id === id) await queue.removeRepeatableByKey(repeatable.key);
  }
}

/**
 * (Re)schedules a channel's polling after it was created or changed: every
 * settings.pollIntervalSeconds (default 60), plus one poll now. A channel that should not
 * poll is unscheduled. Safe to call any number of times, from any process.
 */
export async function schedulePolling(queues: QueueFactory, channel: PollableChannel): Promise<void> {
  const channelId = channel._id.toHexString();
  if (!isPollable(channel)) return unschedulePolling(queues, channelId);
  const every = intervalOf(channel);
  const queue = queues.queue<PollJob>('poll');
  // A changed interval replaces the old schedule rather than adding a second one.
  for (const repeatable of await queue.getRepeatableJobs()) {
    if (repeatable.id === repeatId(channelId) && Number(repeatable.every) !== every) await queue.removeRepeatableByKey(repeatable.key);
  }
  await queue.add({ channelId }, { ...POLL_JOB, repeat: { every }, jobId: repeatId(channelId) });
  await queue.add({ channelId }, { ...POLL_JOB, jobId: `now-${channelId}` });
}

/**
 * Puts back the schedules of the channels that poll, as Redis may have forgotten them (a
 * restart with nothing on disk). Adding a schedule that exists is no change: bull derives
 * the repeatable job's id from the channel and the interval.
 */
export async function restorePollingSchedules(queues: QueueFactory): Promise<number> {
  const queue = queues.queue<PollJob>('poll');
  const scheduled = new Set((await queue.getRepeatableJobs()).map((repeatable) => repeatable.id));
  let restored = 0;
  for (const channel of await Channel.find({ status: 'active' }, { kind: 1, status: 1, settings: 1 }).lean<PollableChannel[]>()) {
    const channelId = channel._id.toHexString();
    if (!isPollable(channel) || scheduled.has(repeatId(channelId))) continue;
    await queue.add({ channelId }, { ...POLL_JOB, repeat: { every: intervalOf(channel) }, jobId: repeatId(channelId) });
    restored += 1;
  }
  return restored;
}

/** Polls one channel once. Answers what happened, for the job's return value and the logs. */
export async function pollChannel(channelId: string, deps: PollDeps, log: Logger): Promise<Record<string, unknown>> {
  const channel = await Channel.findById(channelId).lean<ChannelDoc>();
  if (!channel || !isPollable(channel)) {
    await unschedulePolling(deps.queues, channelId);
    return { skipped: 'channel does not poll' };
  }
  const connector = connectorFor(channel.kind);
  if (!connector.poll) return { skipped: 'connector does not poll' };
  // After a 429 the platform's reset is kept in Redis; ticks before it do nothing.
  const waitKey = `${deps.prefix}:poll:wait:${channelId}`;
  const waiting = await deps.redis.pttl(waitKey);
  if (waiting > 0) return { rateLimitedForMs: waiting };

  return deps.locks.withLock(`poll:${channelId}`, async () => {
    // Read inside the lock: a poll that just finished moved the cursor.
    const current = (await Channel.findById(channelId, { pollCursor: 1 }).lean<Pick<ChannelDoc, 'pollCursor'>>())?.pollCursor;
    let result;
    try {
      result = await connector.poll!(channelContext(channel, deps.credentialsKey), current);
    } catch (error) {
      if (error instanceof RateLimited) {
        const waitMs = Math.max(1_000, error.retryAt.getTime() - Date.now());
        await deps.redis.set(waitKey, error.retryAt.toISOString(), 'PX', waitMs);
        log.warn({ channelId, retryAt: error.retryAt }, 'polling rate limited; waiting for the reset');
        return { rateLimitedUntil: error.retryAt.toISOString() };
      }
      if (error instanceof ReauthRequired) {
        // No point asking again with a token the platform refused: admins must reconnect.
        await markChannelNeedsReauth(channel._id, error.message, deps.events, log);
        await unschedulePolling(deps.queues, channelId);
        return { failed: error.message, needsReauth: true };
      }
      log.warn({ channelId, err: error }, 'poll failed; retried at the next tick');
      return { failed: error instanceof Error ? error.message : String(error) };
    }

    const now = new Date();
    for (const body of result.bodies) {
      const rawEvent = await RawEvent.create({ channelId: channel._id, kind: channel.kind, body: JSON.stringify(body), status: 'pending', receivedAt: now, enqueuedAt: now });
      await enqueueInbound(deps.queues, rawEvent._id).catch((error: unknown) => {
        // Stored is safe: the sweeper queues pending raw events whose job never existed.
        log.warn({ err: error, rawEventId: rawEvent._id.toHexString() }, 'could not queue a polled page; the sweeper will');
      });
    }
    await Channel.updateOne({ _id: channel._id }, { $set: { pollCursor: result.cursor } }, { timestamps: false });
    if (result.bodies.length > 0) log.info({ channelId, pages: result.bodies.length }, 'polled pages stored');
    return { pages: result.bodies.length, cursor: result.cursor };
  });
}

/** The worker's poll processor; schedules every channel that polls (existing schedules are kept). */
export async function startPolling(deps: PollDeps, log: Logger): Promise<void> {
  deps.queues.process<PollJob>('poll', 2, (job) => pollChannel(job.data.channelId, deps, log));
  const channels = await Channel.find({ status: 'active' }, { kind: 1, status: 1, settings: 1 }).lean<PollableChannel[]>();
  for (const channel of channels) if (isPollable(channel)) await schedulePolling(deps.queues, channel);
}
