import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../provision/paths';

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function run(what: string, args: string[], log: (line: string) => void): void {
  log(what);
  const result = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${what} failed`);
}

/** Compiles common and backend (tsc -b is incremental) and rebuilds the frontend when its sources changed. */
export function buildIfStale(log: (line: string) => void): void {
  run('Compiling common and backend …', [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], log);

  const built = newestMtime(path.join(repoRoot, 'frontend', 'dist', 'index.html'));
  const sources = Math.max(
    ...['frontend/src', 'frontend/index.html', 'frontend/vite.config.ts', 'frontend/package.json', 'common/src'].map((entry) =>
      newestMtime(path.join(repoRoot, entry)),
    ),
  );
  if (built === 0 || sources > built) {
    run('Building the web app …', [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', path.join(repoRoot, 'frontend'), '--logLevel', 'warn'], log);
  }
}
