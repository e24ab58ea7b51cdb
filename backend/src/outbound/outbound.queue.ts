import type { Types } from 'mongoose';
import type { QueueFactory } from '../queue/queue.factory';

export interface OutboundJob {
  messageId: string;
}

/**
 * Queues a reply for delivery. The first job of a message has the message id as its job
 * id (queueing twice is one job); a later one (after a rate limit, or an agent's retry)
 * gets an id of its own. Retries back off exponentially with jitter.
 */
export async function enqueueOutbound(
  queues: QueueFactory,
  messageId: Types.ObjectId,
  { delay, reason }: { delay?: number; reason?: 'rate_limited' | 'retry' } = {},
): Promise<void> {
  const id = messageId.toHexString();
  await queues.queue<OutboundJob>('outbound').add(
    { messageId: id },
    {
      jobId: reason ? `${id}:${reason}:${Date.now()}` : id,
      attempts: 6,
      backoff: { type: 'jittered' },
      ...(delay !== undefined ? { delay } : {}),
    },
  );
}
