/**
 * `npm test`: the same installing and provisioning as `npm start`, then lint,
 * typecheck and every test, against real FerretDB and Redis servers.
 * Extra arguments go to jest (`npm test -- backend/src/users`).
 */
import { spawnSync } from 'node:child_process';
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

async function main(): Promise<number> {
  const jestArgs = process.argv.slice(2);
  const focused = jestArgs.length > 0;
  buildIfStale(log);

  if (!focused) {
    if (!step('npm run lint', 'npm', ['run', '--silent', 'lint'])) return 1;
    if (!step('npm run typecheck', 'npm', ['run', '--silent', 'typecheck'])) return 1;
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
