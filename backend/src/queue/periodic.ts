import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { Logger } from '../logger';

/**
 * Periodic work (sweeps for lost jobs, clean-ups) driven by a timer in every worker
 * process, not by repeatable jobs stored in Redis: a Redis that restarts empty forgets its
 * repeatable jobs, and with them the very sweeps that recover what it forgot. Each tick
 * takes a short Redis gate, so among many workers one runs the task per period; a tick
 * while Redis is away fails, is logged and the next tick tries again. Tasks must be safe
 * to run twice (two workers whose gates expire while a slow run goes on).
 */
/** Why a task runs: its timer, or a recovery (Redis came back, possibly empty, or a worker started): jobs may be gone. */
export type PeriodicTrigger = 'timer' | 'recovery';

export interface PeriodicTask {
  name: string;
  everyMs: number;
  run(trigger: PeriodicTrigger): Promise<unknown>;
}

export interface Periodic {
  /**
   * Runs a task now unless another worker ran it this period, e.g. when Redis came back
   * empty (its gates went with it, so the first worker to ask runs it).
   */
  runNow(name: string, trigger: PeriodicTrigger): Promise<void>;
  /** Stops the timers and waits for runs in progress. */
  stop(): Promise<void>;
}

export function startPeriodic(tasks: PeriodicTask[], redis: Redis, prefix: string, log: Logger): Periodic {
  const running = new Map<string, Promise<void>>();
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  const tick = (task: PeriodicTask, trigger: PeriodicTrigger): Promise<void> => {
    const inFlight = running.get(task.name);
    if (inFlight || stopped) return inFlight ?? Promise.resolve();
    const run = (async () => {
      try {
        const gate = await redis.set(`${prefix}:periodic:${task.name}`, randomBytes(6).toString('hex'), 'PX', Math.round(task.everyMs * 0.9), 'NX');
        // Another worker ran it this period (a little shorter than the period, so timer drift skips none).
        if (gate !== 'OK') return;
        const result = await task.run(trigger);
        log.debug({ task: task.name, result }, 'periodic task done');
      } catch (error) {
        log.warn({ task: task.name, err: error }, 'periodic task failed; it runs again at the next tick');
      }
    })().finally(() => running.delete(task.name));
    running.set(task.name, run);
    return run;
  };

  for (const task of tasks) {
    // A random phase spreads the workers' ticks over the period.
    const first = setTimeout(
      () => {
        void tick(task, 'timer');
        const every = setInterval(() => void tick(task, 'timer'), task.everyMs);
        every.unref();
        timers.push(every);
      },
      Math.round(Math.random() * Math.min(task.everyMs, 5_000)),
    );
    first.unref();
    timers.push(first);
  }

  return {
    runNow: (name, trigger) => {
      const task = tasks.find((candidate) => candidate.name === name);
      return task ? tick(task, trigger) : Promise.resolve();
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(running.values());
    },
  };
}
