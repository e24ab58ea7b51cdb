/**
 * Runs before every test file (jest setupFiles). Each file gets its own database and
 * its own Redis key prefix, so test files running in parallel never see each other's data.
 */
import { randomBytes } from 'node:crypto';

const baseMongo = process.env.PARLEY_TEST_MONGODB_URI;
const baseRedis = process.env.PARLEY_TEST_REDIS_URL;
const fileId = `t${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;

if (baseMongo && baseRedis) {
  const uri = new URL(baseMongo);
  uri.pathname = `/${fileId}`;
  process.env.MONGODB_URI = uri.toString();
  process.env.REDIS_URL = baseRedis;
  process.env.QUEUE_PREFIX = fileId;
} else {
  delete process.env.MONGODB_URI;
  delete process.env.REDIS_URL;
}
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.PARLEY_TEST_FILE_ID = fileId;
