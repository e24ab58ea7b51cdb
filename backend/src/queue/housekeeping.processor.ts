import { sweepRawEvents } from '../ingest/raw-event.sweeper';
import type { Logger } from '../logger';
import { deleteExpiredSessions } from '../users/auth.service';
import type { QueueFactory } from './queue.factory';

export type HousekeepingJob = { task: 'expire-sessions' } | { task: 'sweep-raw-events' };

const schedule: Array<{ job: HousekeepingJob; every: number }> = [
  { job: { task: 'expire-sessions' }, every: 15 * 60_000 },
  { job: { task: 'sweep-raw-events' }, every: 30_000 },
];

/** Periodic work: clean-ups MongoDB would do with TTL indexes, and the lost-job sweeper. */
export async function startHousekeeping(queues: QueueFactory, log: Logger): Promise<void> {
  queues.process<HousekeepingJob>('housekeeping', 1, async (job) => {
    switch (job.data.task) {
      case 'expire-sessions': {
        const deleted = await deleteExpiredSessions();
        if (deleted > 0) log.info({ deleted }, 'expired sessions deleted');
        return { deleted };
      }
      case 'sweep-raw-events':
        return { requeued: await sweepRawEvents(queues, log) };
    }
  });
  // Repeatable jobs with fixed ids: several workers starting together schedule each once.
  const queue = queues.queue<HousekeepingJob>('housekeeping');
  for (const { job, every } of schedule) await queue.add(job, { repeat: { every }, jobId: job.task });
}
