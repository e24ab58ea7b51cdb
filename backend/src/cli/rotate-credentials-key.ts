/**
 * `npm run rotate-credentials-key`: with CREDENTIALS_KEY=<new> and CREDENTIALS_KEY_PREVIOUS=<old>,
 * re-encrypts every channel's credentials with <new>. Afterwards CREDENTIALS_KEY_PREVIOUS can go.
 */
import { rotateCredentialsKey } from '../channels/credentials-rotation';
import { ConfigError, loadConfig } from '../config';
import { connectMongo } from '../db/mongo';
import { createLogger } from '../logger';
import '../models';

async function main(): Promise<number> {
  const config = loadConfig();
  const log = createLogger(config);
  if (!config.CREDENTIALS_KEY) {
    log.error('CREDENTIALS_KEY is not set: give the new key as CREDENTIALS_KEY and the old one as CREDENTIALS_KEY_PREVIOUS.');
    return 1;
  }
  const mongo = await connectMongo(config.MONGODB_URI, log);
  try {
    const { channels, rotated } = await rotateCredentialsKey(config.CREDENTIALS_KEY);
    log.info({ channels, rotated }, `re-encrypted the credentials of ${rotated} of ${channels} channels with CREDENTIALS_KEY`);
    return 0;
  } finally {
    await mongo.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Without a valid configuration there is no logger to use: stderr is the one way to say why.
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
