import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { PortInUseError, roleNames, startParley, type RoleName } from './server';

function parseRoles(args: string[]): RoleName[] {
  const roles = args.length > 0 ? args : ['api', 'worker', 'web'];
  const unknown = roles.filter((role) => !(roleNames as readonly string[]).includes(role));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown role ${unknown.join(', ')}; roles are ${roleNames.join(', ')}.\n`);
    process.exit(2);
  }
  return roles as RoleName[];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const roles = parseRoles(process.argv.slice(2));
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config);
  // A library promise that rejects with nobody listening (a Redis command cut off by a
  // reconnect, say) is logged; it must not take the whole process down.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));

  let parley;
  try {
    parley = await startParley(config, roles, log);
  } catch (error) {
    if (error instanceof PortInUseError) {
      log.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
  log.info({ roles, port: parley.port }, 'Parley is running');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, parley.config.SHUTDOWN_TIMEOUT_MS + 5_000);
    force.unref();
    parley
      .stop()
      .then(() => {
        log.info('stopped');
        log.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  const parentPid = config.PARLEY_PARENT_PID;
  if (parentPid) {
    const watch = setInterval(() => {
      if (!isAlive(parentPid)) {
        clearInterval(watch);
        shutdown('launcher gone');
      }
    }, 1_000);
    watch.unref();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Parley could not start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
