import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: createLogger({ LOG_LEVEL: 'info', LOG_PRETTY: false }, destination), lines };
}

describe('log redaction', () => {
  it('never writes channel credentials, secrets or their ciphertext, wherever they sit in a log line', () => {
    const { log, lines } = capturingLogger();
    const credentials = { secret: 'plain-secret-1', pageAccessToken: 'plain-token-2', consumerSecret: 'plain-secret-3' };
    log.info({ credentials }, 'top level');
    log.info({ input: { kind: 'webhook', credentials } }, 'nested once');
    log.info({ req: { body: { credentials } } }, 'request body');
    log.info({ channel: { name: 'Web chat', credentialsEncrypted: 'v1.cipher-4' } }, 'a channel document');
    log.info({ secret: 'plain-secret-5', settings: { secret: 'plain-secret-6' } }, 'a secret');

    const written = lines.join('');
    expect(lines).toHaveLength(5);
    for (const plain of ['plain-secret-1', 'plain-token-2', 'plain-secret-3', 'v1.cipher-4', 'plain-secret-5', 'plain-secret-6']) expect(written).not.toContain(plain);
    expect(written).toContain('[redacted]');
    expect(written).toContain('Web chat');
  });
});
