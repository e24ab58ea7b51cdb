import { Types } from 'mongoose';
import { makeSimulatorChannel, makeSimulatorEvent } from '../test/factories';
import { testLog, useParley } from '../test/harness';
import { enqueueInbound, inboundJobId, type InboundJob } from './inbound.queue';
import { RawEvent } from './raw-event.model';
import { sweepRawEvents } from './raw-event.sweeper';

// No worker: the jobs a sweep queues stay in the queue, where the test counts them.
const parley = useParley(['api']);
const STALE_AFTER_MS = 60_000;

async function pendingRawEvent(minutesAgo: number) {
  const channel = await makeSimulatorChannel();
  const at = new Date(Date.now() - minutesAgo * 60_000);
  return RawEvent.create({ channelId: channel._id, kind: 'simulator', body: JSON.stringify({ events: [makeSimulatorEvent()] }), status: 'pending', receivedAt: at, enqueuedAt: at });
}

/** The jobs in the inbound queue, in any state, that would process this raw event. */
async function jobsFor(rawEventId: Types.ObjectId) {
  const jobs = await parley().queues.queue<InboundJob>('inbound').getJobs(['waiting', 'active', 'delayed', 'paused', 'completed', 'failed']);
  return jobs.filter((job) => job?.data.rawEventId === rawEventId.toHexString());
}

const sweep = (now = Date.now()) => sweepRawEvents(parley().queues, testLog(), { staleAfterMs: STALE_AFTER_MS, now });

describe('the raw-event sweeper', () => {
  it('queues one job for a pending event whose job was lost, however many sweeps run', async () => {
    const raw = await pendingRawEvent(5);

    expect(await sweep()).toBe(1);
    // Later sweeps, each long after the last, and several at once, find that job alive.
    expect(await sweep(Date.now() + 10 * 60_000)).toBe(0);
    await Promise.all([sweep(Date.now() + 20 * 60_000), sweep(Date.now() + 20 * 60_000), sweep(Date.now() + 20 * 60_000)]);

    const jobs = await jobsFor(raw._id);
    expect(jobs.map((job) => job.id)).toEqual([inboundJobId(raw._id)]);
  });

  it('leaves an event alone while its job waits, and adds nothing when the intake queues it too', async () => {
    const raw = await pendingRawEvent(5);
    await enqueueInbound(parley().queues, raw._id);

    expect(await sweep()).toBe(0);
    await enqueueInbound(parley().queues, raw._id);
    expect(await jobsFor(raw._id)).toHaveLength(1);
  });

  it('gives an event whose job ended without settling it a job of the next generation, once', async () => {
    const raw = await pendingRawEvent(5);
    await enqueueInbound(parley().queues, raw._id);
    // A worker takes the job, then bull fails it (stalled out with its worker): the event is still pending.
    const queue = parley().queues.queue<InboundJob>('inbound');
    let job = await queue.getNextJob();
    while (job && job.data.rawEventId !== raw._id.toHexString()) job = await queue.getNextJob();
    if (!job) throw new Error('the job of the raw event is not in the queue');
    const failedJobId = job.id;
    await job.discard();
    await job.moveToFailed({ message: 'job stalled more than allowable limit' }, true);

    expect(await sweep()).toBe(1);
    expect(await sweep(Date.now() + 10 * 60_000)).toBe(0);

    const live = (await jobsFor(raw._id)).filter((candidate) => candidate.id !== failedJobId);
    expect(live.map((candidate) => candidate.id)).toEqual([inboundJobId(raw._id, 1)]);
    expect((await RawEvent.findById(raw._id).lean())?.jobGeneration).toBe(1);
  });

  it('does not touch events queued a moment ago', async () => {
    const raw = await pendingRawEvent(0);
    expect(await sweep()).toBe(0);
    expect(await jobsFor(raw._id)).toHaveLength(0);
  });
});
