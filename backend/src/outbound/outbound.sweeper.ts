import type { Logger } from '../logger';
import type { QueueFactory } from '../queue/queue.factory';
import { Message, type MessageDoc } from '../tickets/message.model';
import { enqueueOutbound, outboundJobId } from './outbound.queue';

const SWEEP_BATCH = 1_000;

/**
 * Queues again the replies waiting for delivery (queued, or sending with an unknown outcome)
 * whose job is gone: Redis restarted empty, or the job stalled out with its worker. A live job
 * is left alone; a `sending` reply goes through the usual in-doubt check (findSent) first, so
 * nothing is sent twice. Answers how many it queued.
 */
export async function sweepOutbound(queues: QueueFactory, log: Logger, { staleAfterMs, now = Date.now() }: { staleAfterMs: number; now?: number }): Promise<number> {
  let live: Set<string> | undefined;
  let requeued = 0;
  // One equality per state: FerretDB pushes an equality down, not an $in.
  for (const deliveryState of ['queued', 'sending'] as const) {
    const waiting = await Message.find({ deliveryState, updatedAt: { $lt: new Date(now - staleAfterMs) } }, { _id: 1, deliveryJobId: 1 })
      .limit(SWEEP_BATCH)
      .lean<Array<Pick<MessageDoc, '_id' | 'deliveryJobId'>>>();
    if (waiting.length > 0) live ??= await queues.liveJobIds('outbound');
    for (const message of waiting) {
      if (live?.has(message.deliveryJobId ?? outboundJobId(message._id))) continue;
      const jobId = outboundJobId(message._id, 'sweep');
      await Message.updateOne({ _id: message._id, deliveryState }, { $set: { deliveryJobId: jobId } });
      await enqueueOutbound(queues, message._id, jobId);
      requeued += 1;
    }
  }
  if (requeued > 0) log.info({ requeued }, 're-queued replies whose delivery job was lost');
  return requeued;
}
