import type { Logger } from '../logger';
import type { QueueFactory } from '../queue/queue.factory';
import { enqueueInbound, inboundJobId } from './inbound.queue';
import { RawEvent, type RawEventDoc } from './raw-event.model';

/** Raw events one sweep looks at; a bigger backlog is reached by the next sweeps. */
const SWEEP_BATCH = 5_000;
const SWEEP_CONCURRENCY = 100;

/**
 * Queues again the pending raw events queued more than `staleAfterMs` ago whose job is
 * gone: a Redis that restarted empty, an enqueue that failed after the event was stored,
 * a job that ended without settling the event (stalled too often, a final attempt whose
 * "failed" mark could not be written). Idempotent: a live job is left alone, a missing job
 * is queued again under the same id (a second enqueue of it is no job), and only a job
 * that finished moves the event to its next generation's id. Answers how many it queued.
 */
export async function sweepRawEvents(queues: QueueFactory, log: Logger, { staleAfterMs, now = Date.now() }: { staleAfterMs: number; now?: number }): Promise<number> {
  const stale = await RawEvent.find({ status: 'pending', enqueuedAt: { $lt: new Date(now - staleAfterMs) } }, { _id: 1, jobGeneration: 1 })
    .limit(SWEEP_BATCH)
    .lean<Array<Pick<RawEventDoc, '_id' | 'jobGeneration'>>>();
  const live = stale.length > 0 ? await queues.liveJobIds('inbound') : new Set<string>();
  const requeue = async (raw: Pick<RawEventDoc, '_id' | 'jobGeneration'>): Promise<boolean> => {
    const generation = raw.jobGeneration ?? 0;
    const jobId = inboundJobId(raw._id, generation);
    if (live.has(jobId)) return false;
    // A finished job keeps its id, and bull ignores an add under an id it holds: the next
    // generation is written first. A lost job's id is simply used again (no database write:
    // the next sweep finds that job alive, in Redis alone).
    const finished = await queues.jobFinished('inbound', jobId);
    if (finished) await RawEvent.updateOne({ _id: raw._id }, { $set: { enqueuedAt: new Date(now), jobGeneration: generation + 1 } });
    await enqueueInbound(queues, raw._id, finished ? generation + 1 : generation);
    return true;
  };
  let requeued = 0;
  // Many at once: after Redis lost everything, thousands of events wait on these round trips.
  for (let start = 0; start < stale.length; start += SWEEP_CONCURRENCY) {
    const done = await Promise.all(stale.slice(start, start + SWEEP_CONCURRENCY).map(requeue));
    requeued += done.filter(Boolean).length;
  }
  if (requeued > 0) log.info({ requeued }, 're-queued pending raw events whose job was lost');
  return requeued;
}
