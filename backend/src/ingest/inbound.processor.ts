import type { Job } from 'bull';
import type { InboundEvent } from '@parley/common';
import { cachedChannel, channelContext, markChannelNeedsReauth } from '../channels/channels.service';
import type { Config } from '../config';
import { connectorFor } from '../connectors';
import { MalformedPayload, PermanentFailure, ReauthRequired, type ChannelContext, type Connector, type DeliveryError, type Normalized, type PendingLookup } from '../connectors/connector';
import { isConnectionLost, isDatabaseUnavailable } from '../db/errors';
import type { Logger } from '../logger';
import { messagesIngested, platformItemsIgnored, rawEventsFailed } from '../metrics';
import type { QueueFactory } from '../queue/queue.factory';
import type { InboundJob } from './inbound.queue';
import { sanitizeInboundEvent } from './inbound.sanitizer';
import { ingest, type IngestDeps } from './ingest.service';
import { RawEvent, type RawEventDoc } from './raw-event.model';

async function markFailed(rawEventId: string, kind: string, reason: string, log: Logger): Promise<void> {
  await RawEvent.updateOne({ _id: rawEventId, status: 'pending' }, { $set: { status: 'failed', error: reason, processedAt: new Date() }, $inc: { attempts: 1 } });
  rawEventsFailed.inc({ kind, reason: reason.split(':')[0] ?? 'unknown' });
  log.warn({ rawEventId, reason }, 'raw event failed');
}

/**
 * An attempt that failed in a way a later one may not: the reason is noted on the raw event and
 * the error goes back to the queue, which retries with backoff; after the last attempt the raw
 * event is failed with the reason, for a supervisor to see and retry. A database that was away
 * is no reason: the event stays pending, and the sweeper queues it again once its job is done.
 */
async function failAttempt(raw: RawEventDoc, reason: string, error: unknown, finalAttempt: boolean, log: Logger): Promise<never> {
  if (isDatabaseUnavailable(error) || isConnectionLost(error)) throw error;
  if (finalAttempt) await markFailed(raw._id.toHexString(), raw.kind, reason, log);
  else await RawEvent.updateOne({ _id: raw._id }, { $inc: { attempts: 1 }, $set: { error: reason } });
  throw error;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * What normalize could only name, looked up on the platform by the connector. A failure that may
 * pass (5xx, rate limit, no answer) is thrown, so the queue retries the delivery (ingest is
 * idempotent); one that cannot (deleted, no permission, token revoked) is answered, so the rest
 * of the delivery is still ingested and the raw event fails at once with the reason.
 */
async function completeLookups(connector: Connector, context: ChannelContext, lookups: PendingLookup[]): Promise<{ events: InboundEvent[]; failures: DeliveryError[] }> {
  const events: InboundEvent[] = [];
  const failures: DeliveryError[] = [];
  for (const lookup of lookups) {
    try {
      if (!connector.complete) throw new PermanentFailure(`the ${connector.kind} connector cannot look up ${lookup.type}`);
      events.push(await connector.complete(context, lookup));
    } catch (error) {
      if (error instanceof PermanentFailure || error instanceof ReauthRequired) failures.push(error);
      else throw error;
    }
  }
  return { events, failures };
}

/** normalize → platform lookups → ingest for one stored raw event. Safe to run any number of times. */
export async function processRawEvent(rawEventId: string, config: Config, deps: IngestDeps, log: Logger, finalAttempt = true): Promise<void> {
  const raw = await RawEvent.findById(rawEventId).lean();
  if (!raw || raw.status !== 'pending') return;

  // Attempts are counted in the write that ends the attempt: one write per event, not two.
  const channel = await cachedChannel(raw.channelId);
  if (!channel) return markFailed(rawEventId, raw.kind, 'channel: the channel was deleted', log);

  let body: unknown;
  try {
    body = JSON.parse(raw.body);
  } catch {
    return markFailed(rawEventId, raw.kind, 'body: not valid JSON', log);
  }

  const connector = connectorFor(channel.kind);
  let context: ChannelContext;
  let inbound: Normalized;
  try {
    context = channelContext(channel, config.CREDENTIALS_KEY);
    inbound = connector.normalize(context, body);
  } catch (error) {
    if (error instanceof MalformedPayload) return markFailed(rawEventId, raw.kind, `payload: ${error.message}`, log);
    return failAttempt(raw, `normalize: ${messageOf(error)}`, error, finalAttempt, log);
  }

  let looked: Awaited<ReturnType<typeof completeLookups>>;
  try {
    looked = await completeLookups(connector, context, inbound.lookups ?? []);
  } catch (error) {
    return failAttempt(raw, `lookup: ${messageOf(error)}`, error, finalAttempt, log);
  }
  const reauth = looked.failures.find((failure) => failure instanceof ReauthRequired);
  if (reauth) await markChannelNeedsReauth(channel._id, reauth.message, deps.events, log);
  const events = [...inbound.events, ...looked.events];

  const ignoredEvents: string[] = [];
  try {
    for (const type of inbound.ignored) platformItemsIgnored.inc({ kind: raw.kind, type });
    for (const event of events) {
      const result = await ingest(channel, sanitizeInboundEvent(event, channel.kind), raw._id, deps);
      messagesIngested.inc({ outcome: result.outcome });
      if (result.outcome === 'ignored') ignoredEvents.push(`${event.action} ${event.externalId}: ${result.reason}`);
    }
  } catch (error) {
    return failAttempt(raw, `ingest: ${messageOf(error)}`, error, finalAttempt, log);
  }
  if (looked.failures.length > 0) return markFailed(rawEventId, raw.kind, `lookup: ${looked.failures.map((failure) => failure.message).join('; ')}`, log);
  await RawEvent.updateOne(
    { _id: raw._id, status: 'pending' },
    {
      $set: {
        status: 'processed',
        processedAt: new Date(),
        ...(inbound.ignored.length > 0 ? { ignoredTypes: inbound.ignored } : {}),
        // Kept on the delivery, so whoever wonders why nothing appeared reads the reason.
        ...(ignoredEvents.length > 0 ? { ignoredEvents } : {}),
      },
      $inc: { attempts: 1 },
    },
  );
}

export function startInboundProcessor(queues: QueueFactory, config: Config, deps: IngestDeps, log: Logger): void {
  queues.process<InboundJob>('inbound', config.INBOUND_CONCURRENCY, (job: Job<InboundJob>) =>
    processRawEvent(job.data.rawEventId, config, deps, log, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)),
  );
}
