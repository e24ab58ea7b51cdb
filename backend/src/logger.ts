import pino, { type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/** Pretty lines in a terminal, JSON lines everywhere else (files, containers, CI). */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>): Logger {
  const pretty = config.LOG_PRETTY ?? Boolean(process.stdout.isTTY);
  return pino({
    level: config.LOG_LEVEL,
    base: { pid: process.pid },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'credentials', '*.credentials', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  });
}
