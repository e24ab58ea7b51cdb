/**
 * `npm run bench`: measurements on this machine, printed as tables and written as JSON
 * to bench-results/. Figures, not assertions: tests never time anything.
 *   npm run bench                 everything
 *   npm run bench -- queue        only the ticket-queue figures
 *   npm run bench -- backends     only the FerretDB backend comparison
 *   npm run bench -- inbox        only the inbox render figures (Chromium, 5,000 tickets)
 *   npm run bench -- faults       exactly-once under a killed worker, a Redis restart and a FerretDB kill
 *   npm run bench -- triage       language and sentiment on the labelled care set (no database)
 *   npm run bench -- bot          the chatbot: customer message stored → bot reply queued
 *   npm run bench -- reports      a one-month response-time report over 100,000 tickets' rollups
 * The ticket-queue bench runs on FerretDB's PostgreSQL backend unless
 * PARLEY_FERRETDB_BACKEND or MONGODB_URI say otherwise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchFerretBackends } from './bench/ferretdb-backends';
import { benchFaults } from './bench/faults.bench';
import { benchInbox } from './bench/inbox.bench';
import { benchQueue } from './bench/queue.bench';
import { benchTriage } from './bench/triage.bench';
import { benchBot } from './bench/bot.bench';
import { benchReports } from './bench/reports.bench';
import { buildIfStale } from './lib/build';
import { repoRoot } from './provision/paths';
import { provision } from './provision';

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function main(): Promise<void> {
  const only = process.argv[2];
  buildIfStale((line) => console.log(`[bench] ${line}`));
  const report: Record<string, unknown> = { at: new Date().toISOString(), machine: `${process.platform} ${process.arch}, node ${process.version}` };

  if (!only || only === 'queue') {
    const backend = process.env.PARLEY_FERRETDB_BACKEND ?? 'postgresql';
    const servers = await provision({ purpose: 'bench', env: { ...process.env, PARLEY_FERRETDB_BACKEND: backend }, log: (line) => console.log(`[bench] ${line}`) });
    console.log(`[bench] MongoDB: ${servers.describe.mongo}; Redis: ${servers.describe.redis}`);
    try {
      const queue = await benchQueue(servers.mongoUri, servers.redisUrl, servers.ferretPostgresUrl);
      report.queue = { database: servers.describe.mongo, ...queue };
      console.log('\nIngest (webhook → queue → ticket) next to plain inserts, same database, 16 in flight');
      console.table([{ events: queue.ingest.events, 'ingest events/s': Math.round(queue.ingest.ingestPerSecond), 'raw inserts/s': Math.round(queue.ingest.rawInsertPerSecond), ratio: queue.ingest.ratio.toFixed(2), 'db commands/event': queue.ingest.databaseCommandsPerEvent.toFixed(1) }]);
      console.log(`\nWebhook-to-socket latency: ${queue.latency.sockets} sockets, ${queue.latency.ratePerSecond} events/s`);
      console.table([{ events: queue.latency.events, 'webhooks refused': queue.latency.webhooksRefused, deliveries: `${queue.latency.deliveries}/${queue.latency.expectedDeliveries}`, p50: ms(queue.latency.latencyMs.p50), p95: ms(queue.latency.latencyMs.p95), p99: ms(queue.latency.latencyMs.p99) }]);
      console.log(`\nGET /api/tickets with ${queue.list.tickets} tickets (agent's views, 25 per page)`);
      console.table(
        queue.list.views.map((view) => ({
          view: view.view,
          'first page p95': ms(view.firstPageMs.p95),
          'page 11 p95': ms(view.deepPageMs.p95),
          'database p95': ms(view.databaseMs.p95),
          'api / database': view.apiOverDatabaseP95.toFixed(2),
        })),
      );
    } finally {
      await servers.stop();
    }
  }

  if (!only || only === 'backends') report.ferretdbBackends = await benchFerretBackends();

  if (!only || only === 'inbox') {
    const servers = await provision({ purpose: 'bench', env: process.env, log: (line) => console.log(`[bench] ${line}`) });
    try {
      const inbox = await benchInbox(servers.mongoUri, servers.redisUrl, servers.ferretPostgresUrl);
      report.inbox = { database: servers.describe.mongo, ...inbox };
      console.log(`\nInbox in Chromium, ${inbox.tickets} tickets in the list`);
      console.table([
        {
          'first rows p50': ms(inbox.firstRowsMs.p50),
          'first rows p95': ms(inbox.firstRowsMs.p95),
          'of it, API p50': ms(inbox.firstPageApiMs.p50),
          'all pages loaded': ms(inbox.loadAllPagesMs),
          'rows in DOM': inbox.rowsInDom,
          'scroll frame p50': ms(inbox.scrollFrameMs.p50),
          'scroll frame p95': ms(inbox.scrollFrameMs.p95),
          'scroll frame max': ms(inbox.scrollFrameMs.max),
          'frames > 50 ms': inbox.scrollFrameMs.over50ms,
        },
      ]);
    } finally {
      await servers.stop();
    }
  }

  if (!only || only === 'faults') {
    const faults = await benchFaults();
    report.faults = faults;
    console.log(`\nFaults: ${faults.messages} messages from ${faults.senders} senders on ${faults.database}, ${faults.duplicatesSent} delivered twice`);
    for (const fault of faults.faults) console.log(`  after ${fault.afterMessages} messages: ${fault.what}`);
    console.table([
      {
        accepted: faults.accepted,
        stored: faults.stored,
        lost: faults.lost,
        doubled: faults.doubled,
        'send s': Math.round(faults.sendSeconds),
        'drain s': Math.round(faults.drainSeconds),
        'messages/s overall': faults.overallMessagesPerSecond.toFixed(1),
        'pending at end': faults.rawEventsPending,
        'failed at end': faults.rawEventsFailed,
      },
    ]);
    console.log(`  webhook answers: ${Object.entries(faults.answers).map(([status, count]) => `${status} × ${count}`).join(', ')}`);
  }

  if (!only || only === 'triage') report.triage = await benchTriage();

  if (!only || only === 'bot') {
    const servers = await provision({ purpose: 'bench', env: process.env, log: (line) => console.log(`[bench] ${line}`) });
    try {
      const bot = await benchBot(servers.mongoUri, servers.redisUrl);
      report.bot = { database: servers.describe.mongo, ...bot };
      console.log(`\nThe bot: ${bot.conversations} new conversations at ${bot.ratePerSecond}/s on ${servers.describe.mongo}; customer message stored → bot reply queued`);
      console.table([
        {
          answered: `${bot.answered}/${bot.conversations}`,
          'first reply p50': ms(bot.replyQueuedMs.p50),
          'first reply p95': ms(bot.replyQueuedMs.p95),
          'last reply p50': ms(bot.lastReplyQueuedMs.p50),
          'last reply p95': ms(bot.lastReplyQueuedMs.p95),
          'ingest p50 (for comparison)': ms(bot.ingestMs.p50),
          'ingest p95': ms(bot.ingestMs.p95),
        },
      ]);
    } finally {
      await servers.stop();
    }
  }

  if (!only || only === 'reports') {
    const backend = process.env.PARLEY_FERRETDB_BACKEND ?? 'postgresql';
    const servers = await provision({ purpose: 'bench', env: { ...process.env, PARLEY_FERRETDB_BACKEND: backend }, log: (line) => console.log(`[bench] ${line}`) });
    try {
      const reports = await benchReports(servers.mongoUri, servers.redisUrl, servers.ferretPostgresUrl);
      report.reports = { database: servers.describe.mongo, ...reports };
      console.log(`\nResponse-time report, October in Europe/Paris (${reports.monthTickets} tickets) over the rollups of ${reports.tickets} tickets on ${servers.describe.mongo}`);
      console.table(
        Object.entries(reports.reportMs).map(([groupBy, timing]) => ({ groupBy, p50: ms(timing.p50), p95: ms(timing.p95), rollups: reports.rollupsStored, 'rebuild s': Math.round(reports.rebuildSeconds) })),
      );
      console.log(`  rollup work in the worker: ${reports.rollupCommandsPerChange.toFixed(1)} database commands per ticket change, ${reports.rollupCommandsPerReplay.toFixed(1)} per event that changes nothing`);
    } finally {
      await servers.stop();
    }
  }

  const outDir = path.join(repoRoot, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nWritten to ${path.relative(repoRoot, file)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
