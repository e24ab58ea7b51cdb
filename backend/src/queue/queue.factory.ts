import Bull, { type Job, type JobOptions, type Queue } from 'bull';
import type { Logger } from '../logger';
import { jobDuration, jobsTotal } from '../metrics';
import type { RedisHandle } from '../redis';

/** Every queue Parley runs. A job carries ids of documents, never the documents. */
export const queueNames = ['inbound', 'outbound', 'sla', 'bot', 'poll', 'housekeeping', 'rules'] as const;
export type QueueName = (typeof queueNames)[number];

export const defaultJobOptions: JobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: 1_000,
  removeOnFail: 5_000,
};

/**
 * "jittered": exponential backoff (2 s, 4 s, 8 s … capped at 5 minutes) with ±50% random
 * jitter, so retries after a platform outage do not arrive all at once.
 */
export function jitteredBackoff(attemptsMade: number, random = Math.random): number {
  const base = Math.min(2_000 * 2 ** Math.max(0, attemptsMade - 1), 300_000);
  return Math.round(base * (0.5 + random()));
}

export interface QueueFactory {
  queue<T>(name: QueueName): Queue<T>;
  /** Registers a processor with timing, outcome metrics and a log line on failure. */
  process<T>(name: QueueName, concurrency: number, handler: (job: Job<T>) => Promise<unknown>): void;
  close(): Promise<void>;
}

/**
 * The one place bull queues are made: retries with backoff, removal of finished
 * jobs, metrics and failure logs are the same for every queue.
 */
export function createQueueFactory(redis: RedisHandle, prefix: string, log: Logger): QueueFactory {
  const queues = new Map<QueueName, Queue>();
  // bull needs these two options on the connections it blocks or subscribes on;
  // each queue owns its connections, so closing one queue leaves the others working.
  const createClient = (type: 'client' | 'subscriber' | 'bclient') =>
    redis.create(`bull-${type}`, type === 'client' ? {} : { maxRetriesPerRequest: null, enableReadyCheck: false });

  const queue = <T>(name: QueueName): Queue<T> => {
    const existing = queues.get(name);
    if (existing) return existing as Queue<T>;
    const created = new Bull<T>(name, { prefix, createClient, defaultJobOptions, settings: { backoffStrategies: { jittered: (attemptsMade: number) => jitteredBackoff(attemptsMade) } } });
    created.on('error', (error) => log.error({ queue: name, err: error }, 'queue error'));
    queues.set(name, created as Queue);
    return created;
  };

  return {
    queue,
    process<T>(name: QueueName, concurrency: number, handler: (job: Job<T>) => Promise<unknown>) {
      void queue<T>(name).process(concurrency, async (job: Job<T>) => {
        const stopTimer = jobDuration.startTimer({ queue: name });
        try {
          const result = await handler(job);
          jobsTotal.inc({ queue: name, outcome: 'completed' });
          return result;
        } catch (error) {
          const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          jobsTotal.inc({ queue: name, outcome: final ? 'failed' : 'retried' });
          log.warn({ queue: name, jobId: job.id, attempt: job.attemptsMade + 1, err: error }, final ? 'job failed' : 'job will be retried');
          throw error;
        } finally {
          stopTimer();
        }
      });
    },
    async close() {
      // close() waits for the jobs in progress to finish.
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}
