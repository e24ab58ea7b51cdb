/**
 * `npm run rollups:rebuild`: recomputes every report rollup from the tickets, on the database
 * MONGODB_URI names, or else the one `npm start` provisions (its FerretDB in .parley/).
 * Stop the workers first, or let their next events on a ticket correct what changed meanwhile.
 */
import { createLogger } from '../backend/src/logger';
import { connectMongo, syncIndexes } from '../backend/src/db/mongo';
import { rebuildRollups } from '../backend/src/reports/rollups.service';
import '../backend/src/models';
import { provision } from './provision';

function log(line: string): void {
  console.log(`[rollups] ${line}`);
}

async function main(): Promise<void> {
  const servers = await provision({ purpose: 'start', log });
  log(`MongoDB: ${servers.describe.mongo}`);
  const mongo = await connectMongo(servers.mongoUri, createLogger({ LOG_LEVEL: 'warn', LOG_PRETTY: false }));
  try {
    await syncIndexes();
    const started = Date.now();
    const result = await rebuildRollups((tickets) => log(`${tickets} tickets …`));
    log(`${result.tickets} tickets → ${result.rollups} rollups in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await mongo.close();
    await servers.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
