/* eslint-disable no-console -- a command-line tool: it talks to the person running it */
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
  if (!config.CREDENTIALS_KEY) {
    console.error('CREDENTIALS_KEY is not set: give the new key as CREDENTIALS_KEY and the old one as CREDENTIALS_KEY_PREVIOUS.');
    return 1;
  }
  const mongo = await connectMongo(config.MONGODB_URI, createLogger(config));
  try {
    const { channels, rotated } = await rotateCredentialsKey(config.CREDENTIALS_KEY);
    console.log(`Re-encrypted the credentials of ${rotated} of ${channels} channels with the first CREDENTIALS_KEY.`);
    return 0;
  } finally {
    await mongo.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
