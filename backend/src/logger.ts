import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from './config';

export type { Logger };

/** Pretty lines in a terminal, JSON lines everywhere else (files, containers, CI). */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>, destination?: DestinationStream): Logger {
  const pretty = !destination && (config.LOG_PRETTY ?? Boolean(process.stdout.isTTY));
  const options: LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { pid: process.pid },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'credentials',
        '*.credentials',
        '*.*.credentials',
        'credentialsEncrypted',
        '*.credentialsEncrypted',
        '*.*.credentialsEncrypted',
        'secret',
        '*.secret',
        'req.headers.authorization',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  };
  // A given destination (a test capturing lines) gets plain JSON lines.
  return destination ? pino(options, destination) : pino(options);
}
