import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { canConnect, freePort } from '../../scripts/provision/process';

/**
 * The built entry point as an operator runs it (`node dist/main.js api worker`):
 * it starts, answers /healthz, and on SIGTERM closes everything and exits 0.
 */
const mainJs = path.resolve(__dirname, '..', 'dist', 'main.js');

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function run(args: string[], env: Record<string, string | undefined>): Run {
  const child = spawn(process.execPath, [mainJs, ...args], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

const servers = () => ({
  MONGODB_URI: process.env.MONGODB_URI,
  REDIS_URL: process.env.REDIS_URL,
  QUEUE_PREFIX: process.env.QUEUE_PREFIX,
});

async function healthy(port: number): Promise<boolean> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    if (response?.ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe('node dist/main.js', () => {
  it('serves, then on SIGTERM stops accepting, closes its connections and exits 0', async () => {
    const port = await freePort();
    const parley = run(['api', 'worker'], { ...servers(), PORT: String(port), HOST: '127.0.0.1' });
    expect(await healthy(port)).toBe(true);

    parley.child.kill('SIGTERM');
    expect(await parley.exit).toBe(0);
    expect(parley.output()).toContain('"msg":"stopped"');
    expect(await canConnect('127.0.0.1', port)).toBe(false);
  });

  it('stops by itself when the launcher that started it is killed', async () => {
    const port = await freePort();
    // A stand-in for `npm start`: it launches Parley and is then killed with SIGKILL.
    const launcher = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const parley = run(['api'], { ...servers(), PORT: String(port), HOST: '127.0.0.1', PARLEY_PARENT_PID: String(launcher.pid) });
    expect(await healthy(port)).toBe(true);

    launcher.kill('SIGKILL');
    expect(await parley.exit).toBe(0);
    expect(parley.output()).toContain('"signal":"launcher gone"');
  });

  it('names the bad variable and exits 1 on bad configuration', async () => {
    const parley = run(['api'], { ...servers(), MONGODB_URI: undefined, PORT: 'eighty' });
    expect(await parley.exit).toBe(1);
    expect(parley.output()).toContain('MONGODB_URI is required');
    expect(parley.output()).toContain('PORT ');
  });

  it('says which port is taken and exits 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const parley = run(['api'], { ...servers(), PORT: String(port), HOST: '127.0.0.1' });
      expect(await parley.exit).toBe(1);
      expect(parley.output()).toContain(`Port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('refuses an unknown role', async () => {
    const parley = run(['api', 'cron'], servers());
    expect(await parley.exit).toBe(2);
    expect(parley.output()).toContain('Unknown role cron');
  });
});
