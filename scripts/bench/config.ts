import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../backend/src/config';

/**
 * The configuration a bench starts Parley with: the provisioned servers, a free port, its own
 * queue prefix, a fresh credentials key, quiet logs, sign-in unthrottled; `extra` on top.
 */
export function benchConfig(name: string, mongoUri: string, redisUrl: string, ferretPostgresUrl?: string, extra: Record<string, string> = {}): Config {
  return loadConfig({
    MONGODB_URI: mongoUri,
    REDIS_URL: redisUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOG_PRETTY: 'false',
    QUEUE_PREFIX: `${name}${Date.now()}`,
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    LOGIN_RATE_LIMIT: '1000',
    ...(ferretPostgresUrl ? { FERRETDB_POSTGRESQL_URL: ferretPostgresUrl } : {}),
    ...extra,
  });
}
