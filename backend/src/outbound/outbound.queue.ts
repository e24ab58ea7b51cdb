import type { Types } from 'mongoose';
import type { QueueFactory } from '../queue/queue.factory';

export interface OutboundJob {
  messageId: string;
}

export async function enqueueOutbound(queues: QueueFactory, messageId: Types.ObjectId): Promise<void> {
  await queues.queue<OutboundJob>('outbound').add({ messageId: messageId.toHexString() }, { jobId: messageId.toHexString() });
}
