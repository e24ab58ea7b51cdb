import type { Job } from 'bull';
import { cachedChannel, channelContext } from '../channels/channels.service';
import type { Config } from '../config';
import { connectorFor } from '../connectors';
import { MalformedPayload } from '../connectors/connector';
import type { Logger } from '../logger';
import { messagesIngested, platformItemsIgnored, rawEventsFailed } from '../metrics';
import type { QueueFactory } from '../queue/queue.factory';
import type { InboundJob } from './inbound.queue';
import { ingest, type IngestDeps } from './ingest.service';
import { RawEvent } from './raw-event.model';

async function markFailed(rawEventId: string, kind: string, reason: string, log: Logger): Promise<void> {
  await RawEvent.updateOne({ _id: rawEventId, status: 'pending' }, { $set: { status: 'failed', error: reason, processedAt: new Date() }, $inc: { attempts: 1 } });
  rawEventsFailed.inc({ kind, reason: reason.split(':')[0] ?? 'unknown' });
  log.warn({ rawEventId, reason }, 'raw event failed');
}

/** normalize → ingest for one stored raw event. Safe to run any number of times. */
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

  let inbound;
  try {
    inbound = connectorFor(channel.kind).normalize(channelContext(channel, config.CREDENTIALS_KEY), body);
  } catch (error) {
    if (error instanceof MalformedPayload) return markFailed(rawEventId, raw.kind, `payload: ${error.message}`, log);
    throw error;
  }

  const ignoredEvents: string[] = [];
  try {
    for (const type of inbound.ignored) platformItemsIgnored.inc({ kind: raw.kind, type });
    for (const event of inbound.events) {
      const result = await ingest(channel, event, raw._id, deps);
      messagesIngested.inc({ outcome: result.outcome });
      if (result.outcome === 'ignored') ignoredEvents.push(`${event.action} ${event.externalId}: ${result.reason}`);
    }
  } catch (error) {
    // Retried by the queue; after the last attempt the reason is kept for a person to see.
    if (finalAttempt) await markFailed(rawEventId, raw.kind, `ingest: ${error instanceof Error ? error.message : String(error)}`, log);
    else await RawEvent.updateOne({ _id: raw._id }, { $inc: { attempts: 1 }, $set: { error: `ingest: ${error instanceof Error ? error.message : String(error)}` } });
    throw error;
  }
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
