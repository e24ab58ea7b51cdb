import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';

/**
 * Short mutual-exclusion sections, held in Redis so every worker process shares them.
 *
 * Why: FerretDB v1 applies an update by reading the document, changing it in its own
 * process and writing it back, so two concurrent updates of one document can lose one
 * ($inc included), and a conditional update is no compare-and-set. Writes that must not
 * interleave (a ticket's counters, one conversation's threading) run inside a lock.
 * Correctness never rests on the lock alone: unique indexes still make a replay a no-op.
 */
export interface Locks {
  withLock<T>(name: string, section: () => Promise<T>): Promise<T>;
}

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class LockTimeout extends Error {}

export function createLocks(redis: Redis, prefix: string, { ttlMs = 30_000, waitMs = 15_000 } = {}): Locks {
  return {
    async withLock<T>(name: string, section: () => Promise<T>): Promise<T> {
      const key = `${prefix}:lock:${name}`;
      const token = randomBytes(12).toString('hex');
      const deadline = Date.now() + waitMs;
      let delay = 2;
      while ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new LockTimeout(`could not take lock ${name} within ${waitMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
        delay = Math.min(delay * 2, 25);
      }
      try {
        return await section();
      } finally {
        await redis.eval(RELEASE, 1, key, token);
      }
    },
  };
}
