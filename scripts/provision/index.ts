import { rmSync } from 'node:fs';
import path from 'node:path';
import { ferretUri, startFerret, type FerretBackend, type RunningServer } from './ferretdb';
import { pingRedis, startRedis } from './redis';
import { stateDir } from './paths';

export { ProvisioningError } from './ferretdb';

export interface Provisioned {
  mongoUri: string;
  redisUrl: string;
  /** The PostgreSQL database under a FerretDB this call started on that backend (FERRETDB_POSTGRESQL_URL for Parley). */
  ferretPostgresUrl?: string;
  /** What was used, for the console: "FerretDB (sqlite) on 127.0.0.1:40123", "MONGODB_URI". */
  describe: { mongo: string; redis: string };
  /** Stops every server this call started (and removes throw-away data). */
  stop(): Promise<void>;
}

export interface ProvisionOptions {
  purpose: 'start' | 'test' | 'bench';
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

function ferretBackend(env: NodeJS.ProcessEnv): FerretBackend {
  const value = env.PARLEY_FERRETDB_BACKEND ?? 'sqlite';
  if (value !== 'sqlite' && value !== 'postgresql') {
    throw new Error(`PARLEY_FERRETDB_BACKEND must be sqlite or postgresql, not ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Finds or starts a MongoDB-compatible server and a Redis, as `npm start` and
 * `npm test` need them. Servers given by MONGODB_URI / REDIS_URL are used as they are.
 */
export async function provision({ purpose, env = process.env, log = () => undefined }: ProvisionOptions): Promise<Provisioned> {
  const started: RunningServer[] = [];
  const throwAway: string[] = [];
  const stop = async () => {
    for (const server of started.reverse()) await server.stop();
    for (const dir of throwAway) rmSync(dir, { recursive: true, force: true });
  };

  try {
    let mongoUri = env.MONGODB_URI;
    let mongo = 'MONGODB_URI';
    let ferretPostgresUrl = env.MONGODB_URI ? env.FERRETDB_POSTGRESQL_URL : undefined;
    if (!mongoUri) {
      const backend = ferretBackend(env);
      const persistent = purpose === 'start';
      const sqliteDir = persistent
        ? path.join(env.PARLEY_DATA_DIR ?? path.join(stateDir, 'data'), 'ferretdb')
        : path.join(stateDir, `${purpose}-${process.pid}-${Date.now()}`);
      if (!persistent) throwAway.push(sqliteDir);
      const database = purpose === 'start' ? 'parley' : `parley_${purpose}`;
      const postgresUrl = env.PARLEY_FERRETDB_POSTGRESQL_URL ?? `postgres://postgres@127.0.0.1:5432/${database}`;
      const server = await startFerret({ backend, sqliteDir, postgresUrl, log });
      started.push(server);
      mongoUri = ferretUri(server.port, database);
      mongo = `FerretDB (${backend}) on 127.0.0.1:${server.port}`;
      if (backend === 'postgresql') ferretPostgresUrl = postgresUrl;
    }

    let redisUrl = env.REDIS_URL;
    let redis = 'REDIS_URL';
    if (!redisUrl) {
      if (await pingRedis('redis://127.0.0.1:6379')) {
        redisUrl = 'redis://127.0.0.1:6379';
        redis = 'Redis on 127.0.0.1:6379';
      } else {
        const server = await startRedis();
        started.push(server);
        redisUrl = server.uri;
        redis = `redis-server started on 127.0.0.1:${server.port}`;
      }
    }

    return { mongoUri, redisUrl, ...(ferretPostgresUrl ? { ferretPostgresUrl } : {}), describe: { mongo, redis }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
