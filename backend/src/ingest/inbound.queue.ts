import type { Types } from 'mongoose';
import type { QueueFactory } from '../queue/queue.factory';

export interface InboundJob {
  rawEventId: string;
}

/** Queues the processing of a stored raw event. The job id makes a double enqueue one job. */
export async function enqueueInbound(queues: QueueFactory, rawEventId: Types.ObjectId, retryOf?: number): Promise<void> {
  const id = rawEventId.toHexString();
  await queues.queue<InboundJob>('inbound').add({ rawEventId: id }, { jobId: retryOf ? `${id}:${retryOf}` : id });
}
