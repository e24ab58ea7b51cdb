import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { Client } from 'pg';
import { ferretUri, startFerret, type RunningServer } from '../../../scripts/provision/ferretdb';
import { startParley, type Parley } from '../server';
import { makeTicket, makeUser } from '../test/factories';
import { testConfig, testLog } from '../test/harness';
import { Ticket } from '../tickets/ticket.model';
import { ensurePushdownIndexes } from './ferretdb-postgres';

/**
 * Parley on a FerretDB of its own with the PostgreSQL backend: the pushdown indexes exist
 * after start-up, and PostgreSQL uses them for the statements FerretDB sends.
 */
const database = `parley_pushdown_${process.pid}`;
const postgresUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
let dataDir: string;
let ferret: RunningServer;
let parley: Parley;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'parley-pushdown-'));
  ferret = await startFerret({ backend: 'postgresql', sqliteDir: dataDir, postgresUrl, log: () => undefined });
  parley = await startParley(testConfig({ MONGODB_URI: ferretUri(ferret.port, 'pushdown'), FERRETDB_POSTGRESQL_URL: postgresUrl }), ['api'], testLog());
}, 180_000);

afterAll(async () => {
  await parley.stop();
  await ferret.stop();
  rmSync(dataDir, { recursive: true, force: true });
  spawnSync('psql', ['postgres://postgres@127.0.0.1:5432/postgres', '-c', `DROP DATABASE IF EXISTS "${database}"`]);
});

async function withPostgres<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

it('indexes every indexed field of every collection for the containment test FerretDB pushes down', async () => {
  const indexes = await withPostgres((client) => client.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'pushdown' AND indexname LIKE '%\\_pd\\_%'`));
  const definitions = indexes.rows.map((row) => row.indexdef);
  for (const field of ['_id', 'assigneeKey', 'teamId', 'status', 'channelId', 'contactId']) {
    expect(definitions).toContainEqual(expect.stringMatching(new RegExp(`^CREATE INDEX \\S+ ON pushdown\\.tickets_\\w+ USING gin \\(\\(\\(_jsonb -> '${field}'::text\\)\\) jsonb_path_ops\\)$`)));
  }
  // A second run finds them all there.
  expect((await ensurePushdownIndexes(postgresUrl, testLog())).created).toEqual([]);
});

it('lets PostgreSQL answer a pushed-down equality from the index, and the results are the same', async () => {
  const agent = await makeUser();
  const mine = await makeTicket({ assigneeId: agent._id, status: 'open' });
  for (let index = 0; index < 30; index++) await makeTicket({ status: 'open' });

  const plan = await withPostgres(async (client) => {
    const table = (await client.query<{ table: string }>(`SELECT _jsonb->>'table' AS table FROM pushdown._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'tickets'`)).rows[0]?.table ?? '';
    await client.query(`ANALYZE pushdown.${table}`);
    await client.query('SET enable_seqscan = off');
    // The statement as FerretDB sends it: the field name is a parameter.
    await client.query(`PREPARE pushed(text, jsonb) AS SELECT _jsonb FROM pushdown.${table} WHERE _jsonb -> $1 @> $2`);
    const explained = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE pushed('assigneeKey', '"${agent._id.toHexString()}"')`);
    return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
  expect(plan).toMatch(/Index Scan on "?tickets_\w+_pd_assigneeKey"?/);

  const found = await Ticket.find({ assigneeKey: agent._id.toHexString(), status: 'open' }).lean();
  expect(found.map((ticket) => ticket._id.toHexString())).toEqual([mine._id.toHexString()]);
  expect(mongoose.connection.db?.databaseName).toBe('pushdown');
});
