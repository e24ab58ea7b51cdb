import type { Job } from 'bull';
import { testLog, useParley } from '../test/harness';
import { registry } from '../metrics';
import { removeLegacySchedules } from './housekeeping';
import { startPeriodic } from './periodic';
import { createQueueFactory, defaultJobOptions, type QueueFactory } from './queue.factory';

const parley = useParley(['worker']);

function finished<T>(queues: QueueFactory, name: 'bot', jobId: string | number): Promise<Job<T>> {
  const queue = queues.queue<T>(name);
  return new Promise((resolve, reject) => {
    const onCompleted = (job: Job<T>) => {
      if (String(job.id) !== String(jobId)) return;
      queue.off('completed', onCompleted);
      resolve(job);
    };
    queue.on('completed', onCompleted);
    setTimeout(() => reject(new Error(`job ${jobId} did not complete`)), 20_000).unref();
  });
}

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  const sample = metric?.values.find((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted));
  return sample?.value ?? 0;
}

describe('bull queues on the real Redis', () => {
  it('runs a periodic task in one worker per period, and again once Redis has forgotten the period', async () => {
    const { redis, config } = parley();
    let runs = 0;
    const task = { name: `count-${Date.now()}`, everyMs: 60_000, run: () => Promise.resolve((runs += 1)) };
    // Two worker processes with the same schedule.
    const [first, second] = [startPeriodic([task], redis.client, config.QUEUE_PREFIX, testLog()), startPeriodic([task], redis.client, config.QUEUE_PREFIX, testLog())];
    try {
      await first.runNow(task.name, 'timer');
      await second.runNow(task.name, 'timer');
      expect(runs).toBe(1);
      // A Redis that restarted empty holds no gate: the next worker to ask runs it.
      await redis.client.del(`${config.QUEUE_PREFIX}:periodic:${task.name}`);
      await second.runNow(task.name, 'timer');
      expect(runs).toBe(2);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('removes the repeatable schedules of earlier versions, which nothing processes any more', async () => {
    const { queues } = parley();
    await queues.queue('sla').add({ task: 'sweep' }, { repeat: { every: 60_000 }, jobId: 'sla-sweep' });
    await queues.queue('housekeeping').add({ task: 'sweep-raw-events' }, { repeat: { every: 30_000 }, jobId: 'sweep-raw-events' });

    await removeLegacySchedules(queues);

    expect(await queues.queue('sla').getRepeatableJobs()).toEqual([]);
    expect(await queues.queue('housekeeping').getRepeatableJobs()).toEqual([]);
  });

  it('retries a failing job with backoff and counts the outcome', async () => {
    // Queues of their own (another prefix): the worker processes Parley's.
    const { redis, config } = parley();
    const queues = createQueueFactory(redis, `${config.QUEUE_PREFIX}-own`, testLog());
    let attempts = 0;
    queues.process<{ n: number }>('bot', 1, () => {
      attempts += 1;
      return attempts === 1 ? Promise.reject(new Error('platform hiccup')) : Promise.resolve('ok');
    });
    const retriedBefore = await metricValue('parley_jobs_total', { queue: 'bot', outcome: 'retried' });
    const job = await queues.queue<{ n: number }>('bot').add({ n: 1 }, { backoff: { type: 'fixed', delay: 50 } });
    const done = await finished(queues, 'bot', job.id);

    expect(attempts).toBe(2);
    expect(done.attemptsMade).toBe(1);
    expect(done.opts.attempts).toBe(defaultJobOptions.attempts);
    expect(await metricValue('parley_jobs_total', { queue: 'bot', outcome: 'retried' })).toBe(retriedBefore + 1);
    expect(await metricValue('parley_jobs_total', { queue: 'bot', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    await queues.close();
  });
});
