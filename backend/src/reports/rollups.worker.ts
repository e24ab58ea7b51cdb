import { Types } from 'mongoose';
import type { DomainEventBus } from '../events/domain-events';
import type { Locks } from '../lib/locks';
import type { Logger } from '../logger';
import type { QueueFactory } from '../queue/queue.factory';
import { updateTicketRollups } from './rollups.service';

export interface RollupJob {
  ticketId: string;
}

/**
 * Queues a rollup update after every change of a ticket or its messages. Runs in every process
 * that writes tickets. Jobs are not merged: each reads the ticket as it is when it runs, so a
 * change can never be swallowed by a job that read the ticket before it.
 */
export function startRollupListener(events: DomainEventBus, queues: QueueFactory, log: Logger): () => void {
  const enqueue = ({ ticketId }: { ticketId: Types.ObjectId }) => {
    queues
      .queue<RollupJob>('rollups')
      .add({ ticketId: ticketId.toHexString() }, { removeOnComplete: true })
      .catch((error: unknown) => log.warn({ err: error, ticketId }, 'could not queue a rollup update'));
  };
  const unsubscribe = [events.on('ticket.created', enqueue), events.on('ticket.updated', enqueue), events.on('message.created', enqueue)];
  return () => unsubscribe.forEach((stop) => stop());
}

/** The worker's side: a ticket's contribution to the report rollups, brought up to date. */
export function startRollupProcessor(queues: QueueFactory, locks: Locks): void {
  queues.process<RollupJob>('rollups', 2, async (job) => {
    if (!Types.ObjectId.isValid(job.data.ticketId)) return { rollups: 0 };
    return { rollups: await updateTicketRollups(new Types.ObjectId(job.data.ticketId), locks) };
  });
}
