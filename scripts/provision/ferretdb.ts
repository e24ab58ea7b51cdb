import { spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { canConnect, freePort, spawnServer, stopProcess, supervise, waitFor } from './process';
import { repoRoot, stateDir } from './paths';

/**
 * FerretDB v1.24.2 as the MongoDB-compatible server for development and tests,
 * built from its Go module by the small embedding program in scripts/ferretdb.
 */

const sourceDir = path.join(repoRoot, 'scripts', 'ferretdb');
const binDir = path.join(stateDir, 'bin');
export const ferretBinary = path.join(binDir, 'parley-ferretdb');
const stampFile = `${ferretBinary}.stamp`;

export type FerretBackend = 'sqlite' | 'postgresql';

export interface FerretOptions {
  backend: FerretBackend;
  /** Folder for the SQLite backend's files (one file per database). */
  sqliteDir: string;
  /** PostgreSQL URL for the postgresql backend; the database is created when missing. */
  postgresUrl: string;
  log: (line: string) => void;
  /** How long after an unexpected exit it is started again the first time (default 1 s; a test of an outage wants it longer). */
  restartAfterMs?: number;
}

export interface RunningServer {
  uri: string;
  port: number;
  /** The server's process (for FerretDB, the current one: it is started again when it exits). */
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of ['main.go', 'go.mod', 'go.sum']) hash.update(readFileSync(path.join(sourceDir, file)));
  return hash.digest('hex');
}

function findGo(): string | undefined {
  for (const candidate of ['go', '/usr/local/go/bin/go', path.join(process.env.HOME ?? '', 'go', 'bin', 'go')]) {
    const probe = spawnSync(candidate, ['version'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

export class ProvisioningError extends Error {}

/** Builds the embedding program when the binary is missing or its source changed. */
export function ensureFerretBinary(log: (line: string) => void): string {
  const wanted = sourceHash();
  if (existsSync(ferretBinary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) {
    return ferretBinary;
  }
  const go = findGo();
  if (!go) {
    throw new ProvisioningError(
      [
        'Parley needs a MongoDB-compatible server and found none.',
        'Either set MONGODB_URI to a MongoDB you run (for example',
        '  MONGODB_URI=mongodb://127.0.0.1:27017/parley npm start',
        '), or install Go 1.24 or newer so Parley can build FerretDB for you.',
      ].join('\n'),
    );
  }
  log('Building FerretDB v1.24.2 from its Go module (once; a few minutes on a machine without Go caches) …');
  mkdirSync(binDir, { recursive: true });
  const started = Date.now();
  const result = spawnSync(go, ['build', '-o', ferretBinary, '.'], {
    cwd: sourceDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
  });
  if (result.status !== 0) throw new ProvisioningError('go build of scripts/ferretdb failed; see the messages above.');
  writeFileSync(stampFile, wanted);
  log(`FerretDB built in ${((Date.now() - started) / 1000).toFixed(0)}s.`);
  return ferretBinary;
}

function ensurePostgresDatabase(url: string, log: (line: string) => void): void {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) throw new ProvisioningError('the FerretDB PostgreSQL URL must name a database');
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const exists = spawnSync('psql', [adminUrl.toString(), '-tAc', `SELECT 1 FROM pg_database WHERE datname = '${database.replace(/'/g, "''")}'`], {
    encoding: 'utf8',
  });
  if (exists.error) {
    log(`psql is not available to check that database ${database} exists; assuming it does.`);
    return;
  }
  if (exists.status !== 0) throw new ProvisioningError(`PostgreSQL at ${parsed.host} did not answer: ${exists.stderr.trim()}`);
  if (exists.stdout.trim() !== '1') {
    const created = spawnSync('psql', [adminUrl.toString(), '-c', `CREATE DATABASE "${database.replace(/"/g, '""')}"`], { encoding: 'utf8' });
    if (created.status !== 0) throw new ProvisioningError(`could not create PostgreSQL database ${database}: ${created.stderr.trim()}`);
    log(`Created PostgreSQL database ${database} for FerretDB.`);
  }
  // FerretDB names the field of a pushed-down filter as a statement parameter: only custom
  // plans let PostgreSQL use Parley's expression indexes (backend/src/db/ferretdb-postgres.ts).
  const tuned = spawnSync('psql', [adminUrl.toString(), '-c', `ALTER DATABASE "${database.replace(/"/g, '""')}" SET plan_cache_mode = force_custom_plan`], { encoding: 'utf8' });
  if (tuned.status !== 0) log(`could not set plan_cache_mode on ${database}: ${tuned.stderr.trim()}`);
}

export async function pingMongo(uri: string, timeoutMs = 1_000): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    const reply = await client.db('admin').command({ ping: 1 });
    return reply.ok === 1;
  } finally {
    await client.close();
  }
}

/** The connection string a FerretDB on that port answers; FerretDB v1 has no replica sets or retryable writes. */
export function ferretUri(port: number, database: string): string {
  return `mongodb://127.0.0.1:${port}/${database}?directConnection=true&retryWrites=false`;
}

export async function startFerret(options: FerretOptions & { port?: number }): Promise<RunningServer> {
  const binary = ensureFerretBinary(options.log);
  if (options.backend === 'postgresql') ensurePostgresDatabase(options.postgresUrl, options.log);
  mkdirSync(options.sqliteDir, { recursive: true });
  const port = options.port ?? (await freePort());
  if (options.port && (await canConnect('127.0.0.1', port))) {
    throw new ProvisioningError(`port ${port} is taken; cannot start FerretDB there`);
  }
  const args = [
    '-listen', `127.0.0.1:${port}`,
    '-handler', options.backend,
    '-sqlite-url', `file:${options.sqliteDir}/`,
    '-postgresql-url', options.postgresUrl,
    '-parent-pid', String(process.pid),
  ];
  mkdirSync(stateDir, { recursive: true });
  const uri = ferretUri(port, 'admin');
  const launch = async () => {
    const child = spawnServer(binary, args, path.join(stateDir, 'ferretdb.log'));
    await waitFor('FerretDB', () => pingMongo(uri, 300), { child, timeoutMs: 60_000 }).catch(async (error: unknown) => {
      await stopProcess(child);
      throw error;
    });
    return child;
  };
  // Parley reconnects by itself; the server it lost must come back by itself too.
  const supervised = supervise(`FerretDB on port ${port}`, await launch(), launch, options.log, options.restartAfterMs);
  return {
    uri,
    port,
    get child() {
      return supervised.child;
    },
    stop: () => supervised.stop(),
  };
}
