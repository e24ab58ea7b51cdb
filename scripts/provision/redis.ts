import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { freePort, spawnServer, stopProcess, waitFor } from './process';
import { ProvisioningError, type RunningServer } from './ferretdb';
import { stateDir } from './paths';

export async function pingRedis(url: string, timeoutMs = 500): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Starts a throw-away redis-server from PATH on a free port (nothing kept on disk). */
export async function startRedis(port?: number): Promise<RunningServer> {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new ProvisioningError(
      'Parley needs Redis and found none: set REDIS_URL (for example REDIS_URL=redis://127.0.0.1:6379), run a Redis on 127.0.0.1:6379, or install redis-server.',
    );
  }
  const chosen = port ?? (await freePort());
  mkdirSync(stateDir, { recursive: true });
  const child = spawnServer(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(chosen), '--save', '', '--appendonly', 'no', '--dir', stateDir],
    path.join(stateDir, 'redis.log'),
  );
  const uri = `redis://127.0.0.1:${chosen}`;
  await waitFor('redis-server', () => pingRedis(uri), { child, timeoutMs: 15_000 }).catch(async (error: unknown) => {
    await stopProcess(child);
    throw error;
  });
  return { uri, port: chosen, child, stop: () => stopProcess(child) };
}
