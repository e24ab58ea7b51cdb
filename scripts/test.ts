/**
 * `npm test`: the same installing and provisioning as `npm start`, then lint,
 * typecheck and every test, against real FerretDB and Redis servers.
 * Extra arguments go to jest (`npm test -- backend/src/users`).
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildIfStale } from './lib/build';
import { ensureChromium } from './lib/chromium';
import { repoRoot } from './provision/paths';
import { provision, ProvisioningError } from './provision';

function log(line: string): void {
  console.log(`[parley test] ${line}`);
}

function step(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  log(name);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', env });
  log(`${name}: ${result.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  return result.status === 0;
}

/**
 * Steps that read the tree without writing it, run side by side (lint and typecheck take a
 * core each); each one's output is printed whole when it ends, so the two do not interleave.
 */
async function stepsTogether(steps: Array<{ name: string; command: string; args: string[] }>): Promise<boolean> {
  const results = await Promise.all(
    steps.map(
      ({ name, command, args }) =>
        new Promise<boolean>((resolve) => {
          log(`${name} (alongside the others)`);
          const started = Date.now();
          const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
          const output: Buffer[] = [];
          child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
          child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
          child.on('close', (code) => {
            process.stdout.write(Buffer.concat(output));
            log(`${name}: ${code === 0 ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
            resolve(code === 0);
          });
        }),
    ),
  );
  return results.every(Boolean);
}

async function main(): Promise<number> {
  const jestArgs = process.argv.slice(2);
  const focused = jestArgs.length > 0;
  buildIfStale(log);

  if (!focused) {
    const checked = await stepsTogether([
      { name: 'npm run lint', command: 'npm', args: ['run', '--silent', 'lint'] },
      { name: 'npm run typecheck', command: 'npm', args: ['run', '--silent', 'typecheck'] },
    ]);
    if (!checked) return 1;
  }

  ensureChromium(log);

  let servers;
  try {
    servers = await provision({ purpose: 'test', log });
  } catch (error) {
    if (error instanceof ProvisioningError) {
      console.error(`\n${error.message}\n`);
      return 1;
    }
    throw error;
  }
  log(`MongoDB: ${servers.describe.mongo}`);
  log(`Redis:   ${servers.describe.redis}`);

  try {
    const env = { ...process.env, PARLEY_TEST_MONGODB_URI: servers.mongoUri, PARLEY_TEST_REDIS_URL: servers.redisUrl, ...(servers.ferretPostgresUrl ? { FERRETDB_POSTGRESQL_URL: servers.ferretPostgresUrl } : {}) };
    return step('jest', process.execPath, [path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', ...jestArgs], env) ? 0 : 1;
  } finally {
    await servers.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
