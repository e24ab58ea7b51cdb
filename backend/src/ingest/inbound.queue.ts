import type { Types } from 'mongoose';
import type { QueueFactory } from '../queue/queue.factory';

export interface InboundJob {
  rawEventId: string;
}

/** The job id of a raw event's processing in a generation (see RawEventDoc.jobGeneration). */
export function inboundJobId(rawEventId: Types.ObjectId, generation = 0): string {
  const id = rawEventId.toHexString();
  return generation === 0 ? id : `${id}:${generation}`;
}

/** Queues the processing of a stored raw event. The job id makes a double enqueue one job. */
export async function enqueueInbound(queues: QueueFactory, rawEventId: Types.ObjectId, generation = 0): Promise<void> {
  await queues.queue<InboundJob>('inbound').add({ rawEventId: rawEventId.toHexString() }, { jobId: inboundJobId(rawEventId, generation) });
}
