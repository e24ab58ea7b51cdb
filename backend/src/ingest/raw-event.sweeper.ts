import type { Logger } from '../logger';
import type { QueueFactory } from '../queue/queue.factory';
import { enqueueInbound, type InboundJob } from './inbound.queue';
import { RawEvent } from './raw-event.model';

export const SWEEP_AFTER_MS = 60_000;
const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'paused']);

/**
 * Re-queues pending raw events older than a minute whose job is gone (a worker killed
 * mid-job, Redis flushed, an enqueue that failed after the event was stored).
 * Running it twice queues nothing twice: a live job is left alone.
 */
export async function sweepRawEvents(queues: QueueFactory, log: Logger, now = Date.now()): Promise<number> {
  const stale = await RawEvent.find({ status: 'pending', enqueuedAt: { $lt: new Date(now - SWEEP_AFTER_MS) } })
    .sort({ enqueuedAt: 1 })
    .limit(500)
    .lean();
  const inbound = queues.queue<InboundJob>('inbound');
  let requeued = 0;
  for (const raw of stale) {
    const job = await inbound.getJob(raw._id.toHexString());
    if (job && LIVE_STATES.has(await job.getState())) continue;
    const claimed = await RawEvent.updateOne({ _id: raw._id, enqueuedAt: raw.enqueuedAt }, { $set: { enqueuedAt: new Date(now) } });
    if (claimed.modifiedCount === 0) continue; // another sweeper took it
    await enqueueInbound(queues, raw._id, now);
    requeued += 1;
  }
  if (requeued > 0) log.info({ requeued }, 're-queued pending raw events');
  return requeued;
}
