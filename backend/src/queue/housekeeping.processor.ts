import type { Logger } from '../logger';
import { deleteExpiredSessions } from '../users/auth.service';
import type { QueueFactory } from './queue.factory';

export type HousekeepingJob = { task: 'expire-sessions' };

const EVERY_FIFTEEN_MINUTES = 15 * 60_000;

/** Periodic clean-up that MongoDB would do with TTL indexes, which FerretDB lacks. */
export async function startHousekeeping(queues: QueueFactory, log: Logger): Promise<void> {
  queues.process<HousekeepingJob>('housekeeping', 1, async (job) => {
    if (job.data.task === 'expire-sessions') {
      const deleted = await deleteExpiredSessions();
      if (deleted > 0) log.info({ deleted }, 'expired sessions deleted');
      return { deleted };
    }
    return undefined;
  });
  // A repeatable job with a fixed id: several workers starting together schedule it once.
  await queues
    .queue<HousekeepingJob>('housekeeping')
    .add({ task: 'expire-sessions' }, { repeat: { every: EVERY_FIFTEEN_MINUTES }, jobId: 'expire-sessions' });
}
