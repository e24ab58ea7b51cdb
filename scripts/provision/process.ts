import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import net from 'node:net';

/** Asks the kernel for a free TCP port on the loopback interface. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port of a probe socket'));
      });
    });
  });
}

export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  { timeoutMs = 30_000, intervalMs = 100, child }: { timeoutMs?: number; intervalMs?: number; child?: ChildProcess } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before it was ready`);
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000}s`);
}

/**
 * Starts a server process in its own process group, so that Ctrl-C in the terminal
 * reaches Parley first and the server is stopped only after Parley has closed its
 * connections. Output goes to a log file.
 */
export function spawnServer(command: string, args: string[], logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    return child;
  } finally {
    closeSync(log);
  }
}

/** Sends SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
export function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function canConnect(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface Supervised {
  /** The running process (a new one after each restart). */
  readonly child: ChildProcess;
  /** Stops it for good: no restart after this. */
  stop(): Promise<void>;
}

/**
 * Keeps a server we started running: when it exits on its own (killed, crashed), it is
 * started again with the same arguments after a backoff (1 s, doubling to 30 s; back to
 * 1 s once it has stayed up a minute), with a log line each time. `start` spawns it and
 * resolves once it answers.
 */
export function supervise(what: string, first: ChildProcess, start: () => Promise<ChildProcess>, log: (line: string) => void, firstDelayMs = 1_000): Supervised {
  let child = first;
  let stopping = false;
  let delayMs = firstDelayMs;
  let startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;

  const watch = (server: ChildProcess) => {
    server.once('exit', (code, signal) => {
      if (stopping) return;
      if (Date.now() - startedAt > 60_000) delayMs = firstDelayMs;
      log(`${what} exited (${signal ?? `code ${code}`}); starting it again in ${delayMs / 1000}s`);
      timer = setTimeout(() => void restart(), delayMs);
      delayMs = Math.min(delayMs * 2, 30_000);
    });
  };
  const restart = async () => {
    if (stopping) return;
    try {
      const next = await start();
      if (stopping) {
        await stopProcess(next);
        return;
      }
      child = next;
      startedAt = Date.now();
      watch(next);
      log(`${what} is running again`);
    } catch (error) {
      log(`${what} did not start again (${error instanceof Error ? error.message : String(error)}); trying again in ${delayMs / 1000}s`);
      timer = setTimeout(() => void restart(), delayMs);
      delayMs = Math.min(delayMs * 2, 30_000);
    }
  };
  watch(first);

  return {
    get child() {
      return child;
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await stopProcess(child);
    },
  };
}
