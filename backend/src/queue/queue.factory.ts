import Bull, { type Job, type JobOptions, type Queue } from 'bull';
import type { Logger } from '../logger';
import { jobDuration, jobsTotal } from '../metrics';
import type { RedisHandle } from '../redis';

/** Every queue Parley runs. A job carries ids of documents, never the documents. */
export const queueNames = ['inbound', 'outbound', 'sla', 'bot', 'poll', 'housekeeping', 'rules', 'triage', 'rollups'] as const;
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
  /**
   * The ids of the jobs a queue still holds to run (waiting, active, delayed, paused), read in
   * one pass. Sweeps use it instead of asking each job its state: bull's getState scans the
   * whole waiting list for every job, which a backlog of thousands turns quadratic.
   */
  liveJobIds(name: QueueName): Promise<Set<string>>;
  /** Whether bull keeps a finished (completed or failed) job under this id, which would swallow a new add of it. */
  jobFinished(name: QueueName, jobId: string): Promise<boolean>;
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
    async liveJobIds(name) {
      const bullQueue = queue(name);
      const lists = await bullQueue.client
        .multi()
        .lrange(bullQueue.toKey('wait'), 0, -1)
        .lrange(bullQueue.toKey('active'), 0, -1)
        .lrange(bullQueue.toKey('paused'), 0, -1)
        .zrange(bullQueue.toKey('delayed'), 0, -1)
        .exec();
      const ids = new Set<string>();
      for (const [error, value] of lists ?? []) {
        if (error) throw error;
        if (Array.isArray(value)) for (const id of value) ids.add(String(id));
      }
      return ids;
    },
    async jobFinished(name, jobId) {
      const bullQueue = queue(name);
      const [completed, failed] = await Promise.all([bullQueue.client.zscore(bullQueue.toKey('completed'), jobId), bullQueue.client.zscore(bullQueue.toKey('failed'), jobId)]);
      return completed !== null || failed !== null;
    },
    async close() {
      // close() waits for the jobs in progress to finish.
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}
