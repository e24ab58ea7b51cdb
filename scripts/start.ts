/**
 * `npm start`: builds what is out of date, provisions MongoDB-compatible and Redis
 * servers (unless MONGODB_URI / REDIS_URL are set), seeds the demo brand on an empty
 * database and serves Parley with all three roles in one process, plus the simulator
 * that fills the demo inbox (PARLEY_SIMULATOR=false leaves it out).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildIfStale } from './lib/build';
import { stateDir, repoRoot } from './provision/paths';
import { provision, ProvisioningError } from './provision';

function log(line: string): void {
  console.log(`[parley] ${line}`);
}

/** A random demo password, kept in .parley/ so a later start can print it again. */
function demoPassword(): string {
  if (process.env.PARLEY_DEMO_PASSWORD) return process.env.PARLEY_DEMO_PASSWORD;
  const file = path.join(stateDir, 'demo-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(9).toString('base64url');
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** A development key for channel credentials, kept beside the data it protects. */
function credentialsKey(): string {
  if (process.env.CREDENTIALS_KEY) return process.env.CREDENTIALS_KEY;
  const file = path.join(stateDir, 'credentials-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64');
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

async function waitForHealthy(url: string, child: { exitCode: number | null }): Promise<boolean> {
  for (let attempt = 0; attempt < 600 && child.exitCode === null; attempt++) {
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function main(): Promise<number> {
  const started = Date.now();
  buildIfStale(log);

  let servers;
  try {
    servers = await provision({ purpose: 'start', log });
  } catch (error) {
    if (error instanceof ProvisioningError) {
      console.error(`\n${error.message}\n`);
      return 1;
    }
    throw error;
  }
  log(`MongoDB: ${servers.describe.mongo}`);
  log(`Redis:   ${servers.describe.redis}`);

  const password = demoPassword();
  const port = process.env.PORT ?? '3000';
  // Simulated customers fill the demo inbox unless PARLEY_SIMULATOR=false.
  const simulate = !['false', '0', 'no'].includes((process.env.PARLEY_SIMULATOR ?? 'true').toLowerCase());
  const roles = ['api', 'worker', 'web', ...(simulate ? ['simulator'] : [])];
  const child = spawn(process.execPath, [path.join(repoRoot, 'backend', 'dist', 'main.js'), ...roles], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      PORT: port,
      // Channel webhook URLs shown to admins are built from it.
      PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
      MONGODB_URI: servers.mongoUri,
      REDIS_URL: servers.redisUrl,
      ...(servers.ferretPostgresUrl ? { FERRETDB_POSTGRESQL_URL: servers.ferretPostgresUrl } : {}),
      PARLEY_SEED_DEMO: process.env.PARLEY_SEED_DEMO ?? 'true',
      PARLEY_DEMO_PASSWORD: password,
      CREDENTIALS_KEY: credentialsKey(),
      PARLEY_PARENT_PID: String(process.pid),
    },
  });

  // Ctrl-C reaches Parley directly (same process group); the servers we started
  // are in their own groups and are stopped once Parley has closed its connections.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    if (signal !== 'SIGINT') child.kill(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
  if (await waitForHealthy(`http://127.0.0.1:${port}/healthz`, child)) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log('');
    log(`Parley is ready in ${seconds}s: http://localhost:${port}`);
    log(`Sign in as agent@demo.parley, supervisor@demo.parley or admin@demo.parley`);
    log(`Password: ${password}${process.env.PARLEY_DEMO_PASSWORD ? ' (PARLEY_DEMO_PASSWORD)' : ' (kept in .parley/demo-password)'}`);
    log('Press Ctrl-C to stop.');
  }
  const code = await exited;
  log('stopping the servers Parley started …');
  await servers.stop();
  return interrupted ? 0 : code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
