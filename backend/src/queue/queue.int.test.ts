import type { Job } from 'bull';
import { makeUser } from '../test/factories';
import { useParley } from '../test/harness';
import { registry } from '../metrics';
import { tokenId } from '../users/auth.service';
import { Session } from '../users/session.model';
import { defaultJobOptions, type QueueFactory } from './queue.factory';

const parley = useParley(['worker']);

function finished<T>(queues: QueueFactory, name: 'housekeeping' | 'bot', jobId: string | number): Promise<Job<T>> {
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
  it('runs the housekeeping job end to end: expired sessions are deleted, live ones kept', async () => {
    const user = await makeUser();
    await Session.create([
      { _id: tokenId('old'), userId: user._id, expiresAt: new Date(Date.now() - 60_000) },
      { _id: tokenId('live'), userId: user._id, expiresAt: new Date(Date.now() + 60_000) },
    ]);
    const { queues } = parley();
    const job = await queues.queue('housekeeping').add({ task: 'expire-sessions' });
    const done = await finished<{ task: string }>(queues, 'housekeeping', job.id);

    expect(done.returnvalue).toEqual({ deleted: 1 });
    expect(await Session.findById(tokenId('old'))).toBeNull();
    expect(await Session.findById(tokenId('live'))).not.toBeNull();
  });

  it('schedules the periodic clean-up once, however many workers start', async () => {
    const repeatable = await parley().queues.queue('housekeeping').getRepeatableJobs();
    expect(repeatable.filter((job) => job.id === 'expire-sessions')).toHaveLength(1);
  });

  it('retries a failing job with backoff and counts the outcome', async () => {
    const { queues } = parley();
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
  });
});
