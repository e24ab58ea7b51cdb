/**
 * Response-time reports: a one-month report read from the rollups of 100,000 tickets (a year of
 * them, seeded as tickets and rolled up by the rebuild), and the rollup work one ticket change
 * adds in the worker (database commands, as queue.bench.ts counts them).
 */
import { performance } from 'node:perf_hooks';
import mongoose, { Types } from 'mongoose';
import { encodeSla } from '../../backend/src/sla/sla.codec';
import { createLogger } from '../../backend/src/logger';
import { ensurePushdownIndexes } from '../../backend/src/db/ferretdb-postgres';
import { syncIndexes } from '../../backend/src/db/mongo';
import { rebuildRollups, updateTicketRollups } from '../../backend/src/reports/rollups.service';
import { Rollup } from '../../backend/src/reports/rollup.model';
import { startParley } from '../../backend/src/server';
import { Ticket, assigneeFields, priorityRank } from '../../backend/src/tickets/ticket.model';
import { hashPassword } from '../../backend/src/users/auth.service';
import { User } from '../../backend/src/users/user.model';
import { benchConfig } from './config';
import { summary } from './stats';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const SAMPLES = Number(process.env.BENCH_REPORT_SAMPLES ?? 20);
const CHANGES = 200;
const PASSWORD = 'bench password 123';
const MINUTE = 60_000;

async function seed(): Promise<void> {
  const teams = Array.from({ length: 5 }, () => new Types.ObjectId());
  const agents = Array.from({ length: 20 }, () => new Types.ObjectId());
  const channels = Array.from({ length: 3 }, () => new Types.ObjectId());
  const priorities = ['low', 'normal', 'normal', 'high', 'urgent'] as const;
  const start = Date.parse('2024-01-01T00:00:00Z');
  const step = (366 * 24 * 60 * MINUTE) / TICKETS;
  for (let offset = 0; offset < TICKETS; offset += 1000) {
    const batch = Array.from({ length: Math.min(1000, TICKETS - offset) }, (_, i) => {
      const n = offset + i;
      const createdAt = new Date(start + n * step);
      const firstResponseAt = n % 10 === 0 ? null : new Date(createdAt.getTime() + ((n * 37) % 600) * MINUTE);
      const solvedAt = n % 4 === 0 ? undefined : new Date(createdAt.getTime() + ((n * 53) % 5000) * MINUTE);
      const clock = (done: Date | null | undefined, met: boolean) => ({
        state: done ? (met ? ('met' as const) : ('breached' as const)) : ('running' as const),
        targetMinutes: 60,
        startedAt: createdAt,
        dueAt: new Date(createdAt.getTime() + 60 * MINUTE),
        remainingMinutes: null,
        completedAt: done ?? null,
        breachedAt: done && !met ? new Date(createdAt.getTime() + 60 * MINUTE) : null,
      });
      const priority = priorities[n % priorities.length] ?? 'normal';
      return {
        number: 1_000_000 + n,
        subject: `Seeded ticket ${n}`,
        status: solvedAt ? 'solved' : 'open',
        priority,
        priorityRank: priorityRank(priority),
        channelId: channels[n % channels.length],
        channelKind: 'simulator',
        origin: 'public',
        contactId: new Types.ObjectId(),
        teamId: teams[Math.floor(n / 7) % teams.length],
        ...assigneeFields(agents[Math.floor(n / 3) % agents.length] ?? null),
        tags: [],
        unreadCount: 0,
        messageCount: 2,
        lastMessageAt: createdAt,
        lastMessagePreview: '',
        slaClocks: encodeSla({ policyId: null, policyName: null, businessHoursId: null, firstResponse: clock(firstResponseAt, n % 3 !== 0), nextResponse: null, resolution: clock(solvedAt, n % 5 !== 0) }),
        slaDueRank: 0,
        firstResponseAt,
        firstHumanResponseAt: n % 6 === 0 ? null : firstResponseAt,
        ...(solvedAt ? { solvedAt } : {}),
        createdAt,
        updatedAt: createdAt,
      };
    });
    await Ticket.collection.insertMany(batch, { ordered: false });
  }
}

export async function benchReports(mongoUri: string, redisUrl: string, ferretPostgresUrl?: string) {
  const config = benchConfig('reports', mongoUri, redisUrl, ferretPostgresUrl);
  const parley = await startParley(config, ['api'], createLogger(config));
  try {
    await mongoose.connection.dropDatabase();
    await syncIndexes();
    if (ferretPostgresUrl) await ensurePushdownIndexes(ferretPostgresUrl, createLogger(config));
    let started = performance.now();
    await seed();
    const seedSeconds = (performance.now() - started) / 1000;
    console.log(`[bench] reports: ${TICKETS} tickets seeded in ${seedSeconds.toFixed(0)} s; rebuilding the rollups …`);
    started = performance.now();
    const rebuilt = await rebuildRollups();
    const rebuildSeconds = (performance.now() - started) / 1000;

    const email = 'bench-supervisor@example.test';
    await User.create({ email, name: 'Bench Supervisor', role: 'supervisor', teamIds: [], passwordHash: await hashPassword(PASSWORD) });
    const base = `http://127.0.0.1:${parley.port}`;
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const report = async (groupBy: string) => {
      const response = await fetch(`${base}/api/reports/response-times?from=2024-10-01&to=2024-10-31&tz=Europe/Paris&groupBy=${groupBy}`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`the report answered ${response.status}`);
      return (await response.json()) as { totals: { created: number } };
    };
    const monthTickets = (await report('day')).totals.created;
    const timings: Record<string, ReturnType<typeof summary>> = {};
    for (const groupBy of ['day', 'agent']) {
      const samples: number[] = [];
      for (let run = 0; run < SAMPLES; run++) {
        const begun = performance.now();
        await report(groupBy);
        samples.push(performance.now() - begun);
      }
      timings[groupBy] = summary(samples);
    }

    // The worker's rollup work per event: a ticket change (a first response) and a replay that changes nothing.
    const tickets = await Ticket.find({ firstResponseAt: null }, { _id: 1 }).limit(CHANGES).lean();
    let commands = 0;
    mongoose.set('debug', () => {
      commands += 1;
    });
    for (const { _id } of tickets) {
      await Ticket.collection.updateOne({ _id }, { $set: { firstResponseAt: new Date('2024-10-15T12:00:00Z'), firstHumanResponseAt: new Date('2024-10-15T12:00:00Z') } });
      await updateTicketRollups(_id, parley.locks);
    }
    const perChange = (commands - tickets.length) / tickets.length;
    commands = 0;
    for (const { _id } of tickets) await updateTicketRollups(_id, parley.locks);
    const perReplay = commands / tickets.length;
    mongoose.set('debug', false);

    return {
      tickets: TICKETS,
      seedSeconds,
      rebuildSeconds,
      rollups: rebuilt.rollups,
      rollupsStored: await Rollup.countDocuments(),
      monthTickets,
      reportMs: timings,
      rollupCommandsPerChange: perChange,
      rollupCommandsPerReplay: perReplay,
    };
  } finally {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await parley.stop();
  }
}
