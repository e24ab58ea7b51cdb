import type { Types } from 'mongoose';
import type { QueueFactory } from '../queue/queue.factory';

export interface OutboundJob {
  messageId: string;
}

/**
 * The id of a message's delivery job. The first job of a message has the message id (queueing
 * twice is one job); a later one (after a rate limit, an agent's retry, a sweep after the job
 * was lost) gets an id of its own, kept on the message as `deliveryJobId` so the sweeper can
 * tell whether it still lives.
 */
export function outboundJobId(messageId: Types.ObjectId, reason?: 'rate_limited' | 'retry' | 'sweep' | 'released'): string {
  const id = messageId.toHexString();
  return reason ? `${id}:${reason}:${Date.now()}` : id;
}

/** The lock one message's delivery (and any change of its delivery state by another path) runs under. */
export const outboundLock = (messageId: string) => `outbound:${messageId}`;

/** Queues a reply for delivery under that job id. Retries back off exponentially with jitter. */
export async function enqueueOutbound(queues: QueueFactory, messageId: Types.ObjectId, jobId = outboundJobId(messageId), { delay }: { delay?: number } = {}): Promise<void> {
  await queues.queue<OutboundJob>('outbound').add(
    { messageId: messageId.toHexString() },
    { jobId, attempts: 6, backoff: { type: 'jittered' }, ...(delay !== undefined ? { delay } : {}) },
  );
}
