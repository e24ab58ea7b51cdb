import type { Config } from '../config';
import { sweepRawEvents } from '../ingest/raw-event.sweeper';
import type { Locks } from '../lib/locks';
import type { Logger } from '../logger';
import { sweepOutbound } from '../outbound/outbound.sweeper';
import { restorePollingSchedules } from '../poll/poll.processor';
import type { DomainEventBus } from '../events/domain-events';
import { onlineAgents } from '../realtime/online';
import type { RedisHandle } from '../redis';
import { sweepSlaBreaches } from '../sla/sla.processor';
import { deleteExpiredSessions } from '../users/auth.service';
import { sweepPrivateMoves } from '../workflows/move-to-private.sync';
import { startPeriodic, type PeriodicTask } from './periodic';
import type { QueueFactory } from './queue.factory';

export interface HousekeepingDeps {
  config: Config;
  redis: RedisHandle;
  queues: QueueFactory;
  events: DomainEventBus;
  locks: Locks;
}

/** Tasks that recover work whose job Redis may have lost; run at once when Redis comes back. */
const RECOVERY_TASKS = ['sweep-raw-events', 'sweep-outbound', 'sweep-moves', 'sweep-sla', 'restore-polling'];

/**
 * Every worker's periodic work: the sweeps that queue again what lost its job (pending raw
 * events, replies waiting for delivery, SLA deadlines), the polling schedules, and the
 * clean-ups MongoDB would do with TTL indexes. Driven from each worker process (see
 * periodic.ts), so a Redis that restarts empty cannot take the recovery down with it.
 * Answers the function that stops it.
 */
export function startHousekeeping({ config, redis, queues, events, locks }: HousekeepingDeps, log: Logger): () => Promise<void> {
  const sweepMs = config.SWEEP_INTERVAL_SECONDS * 1000;
  // SLA escalations take tickets from agents who are not online.
  const online = onlineAgents(redis.client, config.QUEUE_PREFIX);
  // Work queued less than two sweeps ago is left to its job (and to the enqueue still under way).
  const staleAfterMs = 2 * sweepMs;
  const tasks: PeriodicTask[] = [
    // In a recovery every pending job may be gone, the freshest too; stable job ids
    // make queueing again what the intake is queueing right now harmless, and ingest is idempotent.
    { name: 'sweep-raw-events', everyMs: sweepMs, run: (trigger) => sweepRawEvents(queues, log, { staleAfterMs: trigger === 'recovery' ? 0 : staleAfterMs }) },
    // Never a reply touched a moment ago: a worker may be sending it right now (its job went with
    // Redis, its lock too), and a second send could reach the customer twice.
    { name: 'sweep-outbound', everyMs: sweepMs, run: () => sweepOutbound(queues, log, { staleAfterMs }) },
    // Moves to private whose next step an interrupted worker never took (the private message after the public one):
    // rare, so once a minute, and at once when a worker starts, when a private message waiting for a sent reply can go
    // whatever its age (releasing it twice is harmless); a move's missing messages are judged only when stale.
    {
      name: 'sweep-moves',
      everyMs: Math.max(sweepMs, 60_000),
      run: (trigger) => sweepPrivateMoves({ events, locks, queues, log }, { staleAfterMs, releaseAfterMs: trigger === 'recovery' ? 0 : staleAfterMs }),
    },
    { name: 'sweep-sla', everyMs: Math.max(sweepMs, 60_000), run: () => sweepSlaBreaches({ events, locks, queues, online, log: log.child({ module: 'sla' }) }) },
    { name: 'restore-polling', everyMs: Math.max(sweepMs, 60_000), run: () => restorePollingSchedules(queues) },
    {
      name: 'expire-sessions',
      everyMs: 15 * 60_000,
      run: async () => {
        const deleted = await deleteExpiredSessions();
        if (deleted > 0) log.info({ deleted }, 'expired sessions deleted');
        return deleted;
      },
    },
  ];
  const periodic = startPeriodic(tasks, redis.client, config.QUEUE_PREFIX, log);
  const recover = () => {
    for (const name of RECOVERY_TASKS) void periodic.runNow(name, 'recovery');
  };
  const stopListening = redis.onRestored(() => {
    log.info('Redis is back: looking for work whose job it may have lost');
    recover();
  });
  // A worker starting may be the first to see a Redis that came back empty while no worker ran.
  recover();
  return async () => {
    stopListening();
    await periodic.stop();
  };
}

/**
 * Earlier versions kept these schedules as repeatable bull jobs; nothing processes them now,
 * so they would pile up in Redis. Safe to run at every start.
 */
export async function removeLegacySchedules(queues: QueueFactory): Promise<void> {
  const legacy: Array<{ queue: 'housekeeping' | 'sla'; ids: string[] }> = [
    { queue: 'housekeeping', ids: ['expire-sessions', 'sweep-raw-events'] },
    { queue: 'sla', ids: ['sla-sweep'] },
  ];
  for (const { queue: name, ids } of legacy) {
    const queue = queues.queue(name);
    for (const repeatable of await queue.getRepeatableJobs()) {
      if (repeatable.id && ids.includes(repeatable.id)) await queue.removeRepeatableByKey(repeatable.key);
    }
  }
}
