/**
 * The same ticket-shaped documents and queries on FerretDB's SQLite and PostgreSQL
 * backends, to choose the backend for filtered queries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient, ObjectId } from 'mongodb';
import { ferretUri, startFerret, type FerretBackend } from '../provision/ferretdb';
import { percentile } from './stats';

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 20_000);
const QUERY_RUNS = 50;

async function timeQuery(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await run(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < QUERY_RUNS; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

export interface BackendResult {
  backend: FerretBackend;
  documents: number;
  insertPerSecond: number;
  idLookup: { p50: number; p95: number };
  equalityFilter: { p50: number; p95: number; matched: number };
  equalitySortLimit: { p50: number; p95: number };
}

async function benchBackend(backend: FerretBackend): Promise<BackendResult> {
  const sqliteDir = mkdtempSync(path.join(tmpdir(), 'parley-bench-'));
  const server = await startFerret({ backend, sqliteDir, postgresUrl: 'postgres://postgres@127.0.0.1:5432/parley_bench', log: (line) => console.log(line) });
  const client = new MongoClient(ferretUri(server.port, 'bench'));
  try {
    await client.connect();
    const db = client.db('bench');
    await db.dropDatabase();
    const tickets = db.collection('tickets');
    await tickets.createIndex({ status: 1, teamId: 1, lastMessageAt: -1 });
    const teams = Array.from({ length: 10 }, () => new ObjectId());
    const statuses = ['new', 'open', 'pending', 'solved', 'closed'];

    const started = performance.now();
    for (let offset = 0; offset < DOCUMENTS; offset += 500) {
      const batch = Array.from({ length: Math.min(500, DOCUMENTS - offset) }, (_, i) => ({
        number: offset + i + 1,
        status: statuses[(offset + i) % statuses.length],
        teamId: teams[Math.floor((offset + i) / statuses.length) % teams.length],
        lastMessageAt: new Date(Date.now() - (offset + i) * 1000),
        preview: `message ${offset + i}`,
      }));
      await tickets.insertMany(batch, { ordered: false });
    }
    const insertPerSecond = DOCUMENTS / ((performance.now() - started) / 1000);

    const sample = await tickets.findOne({ number: Math.floor(DOCUMENTS / 2) });
    const idLookup = await timeQuery(() => tickets.findOne({ _id: sample?._id }));
    const filter = { status: 'open', teamId: teams[3] };
    const matched = await tickets.countDocuments(filter);
    const equalityFilter = { ...(await timeQuery(() => tickets.find(filter).toArray())), matched };
    const equalitySortLimit = await timeQuery(() => tickets.find(filter).sort({ lastMessageAt: -1 }).limit(50).toArray());
    await db.dropDatabase();
    return { backend, documents: DOCUMENTS, insertPerSecond, idLookup, equalityFilter, equalitySortLimit };
  } finally {
    await client.close();
    await server.stop();
    rmSync(sqliteDir, { recursive: true, force: true });
  }
}

export async function benchFerretBackends(): Promise<BackendResult[]> {
  const results: BackendResult[] = [];
  for (const backend of ['sqlite', 'postgresql'] as const) {
    console.log(`[bench] FerretDB ${backend}: ${DOCUMENTS} documents …`);
    results.push(await benchBackend(backend));
  }
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log('\nFerretDB backends (ticket-shaped documents; equality filter on status + teamId)');
  console.table(
    results.map((result) => ({
      backend: result.backend,
      documents: result.documents,
      'inserts/s': Math.round(result.insertPerSecond),
      '_id lookup p50': ms(result.idLookup.p50),
      'filter p50': ms(result.equalityFilter.p50),
      'filter p95': ms(result.equalityFilter.p95),
      matched: result.equalityFilter.matched,
      'filter+sort+limit 50 p95': ms(result.equalitySortLimit.p95),
    })),
  );
  return results;
}
