import mongoose from 'mongoose';
import Redis from 'ioredis';
import { loadConfig, type Config } from '../config';
import { createLogger } from '../logger';
import { startParley, type Parley, type ParleyOptions, type RoleName } from '../server';

/** Configuration for a test: this file's database and Redis prefix, a free port, no log noise. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  if (!process.env.MONGODB_URI || !process.env.REDIS_URL) {
    throw new Error('Integration tests need the servers that `npm test` provisions: run them with `npm test` (or `npm test -- <path>`).');
  }
  return loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', ...overrides });
}

export const testLog = () => createLogger({ LOG_LEVEL: process.env.LOG_LEVEL === 'silent' ? 'silent' : 'info', LOG_PRETTY: false });

/** The HTTP server of a Parley started with the api or web role. */
export function httpServer(parley: Parley): NonNullable<Parley['http']> {
  if (!parley.http) throw new Error('this Parley runs no HTTP server (start it with the api or web role)');
  return parley.http;
}

/** Deletes every Redis key of this test file's prefix. */
export async function clearRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Starts Parley for the tests of one file (beforeAll) and stops it, dropping the
 * file's database and Redis keys, afterwards (afterAll).
 */
export function useParley(roles: RoleName[] = ['api', 'worker'], overrides: Record<string, string> = {}, options: ParleyOptions = {}): () => Parley {
  let parley: Parley | undefined;
  beforeAll(async () => {
    parley = await startParley(testConfig(overrides), roles, testLog(), options);
  });
  afterAll(async () => {
    if (!parley) return;
    await mongoose.connection.dropDatabase().catch(() => undefined);
    const { REDIS_URL, QUEUE_PREFIX } = parley.config;
    await parley.stop();
    await clearRedisPrefix(REDIS_URL, QUEUE_PREFIX);
  });
  return () => {
    if (!parley) throw new Error('Parley has not started yet (useParley starts it in beforeAll)');
    return parley;
  };
}
