#!/usr/bin/env node
// The entry point of `npm start`, `npm test` and `npm run bench` on a fresh clone.
// It uses nothing but Node itself: it installs the npm dependencies when they are
// missing or stale, then hands over to the TypeScript script of that command.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const commands = { start: 'start.ts', test: 'test.ts', bench: 'bench.ts', 'rollups-rebuild': 'rollups-rebuild.ts' };

const [command, ...rest] = process.argv.slice(2);
if (!command || !(command in commands)) {
  console.error(`usage: node scripts/bootstrap.mjs <${Object.keys(commands).join('|')}> [args…]`);
  process.exit(2);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Parley needs Node.js 20.19 or newer; this is ${process.version}.`);
  process.exit(1);
}

ensureDependencies();

const tsxCli = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const child = spawn(process.execPath, [tsxCli, path.join(root, 'scripts', commands[command]), ...rest], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the whole process group; the child decides how to wind down.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (signal !== 'SIGINT') child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

/** Runs `npm ci` when node_modules is missing or was installed from another lockfile. */
function ensureDependencies() {
  const lockfile = path.join(root, 'package-lock.json');
  const manifests = [lockfile, ...['', 'common', 'backend', 'frontend'].map((dir) => path.join(root, dir, 'package.json'))];
  const hash = createHash('sha256');
  for (const file of manifests) if (existsSync(file)) hash.update(readFileSync(file));
  const wanted = hash.digest('hex');
  const stampFile = path.join(root, 'node_modules', '.parley-install-stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) return;

  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // A fresh clone gets exactly the lockfile; an existing tree is brought up to date.
  const fresh = existsSync(lockfile) && !existsSync(path.join(root, 'node_modules'));
  const args = [fresh ? 'ci' : 'install', '--no-audit', '--no-fund'];
  console.log(`Installing npm dependencies (npm ${args[0]}) …`);
  const result = spawnSync(npm, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('npm could not install the dependencies; see the messages above.');
    process.exit(result.status ?? 1);
  }
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, wanted);
}
