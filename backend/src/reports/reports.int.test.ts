import { Types } from 'mongoose';
import request from 'supertest';
import {
  DURATION_BUCKET_EDGES,
  businessMinutesBetween,
  durationBucket,
  errorBodySchema,
  responseTimeReportSchema,
  type BusinessHoursSpec,
  type Priority,
  type ResponseTimeReport,
  type SlaClockState,
  type SlaClockValue,
} from '@parley/common';
import { encodeSla } from '../sla/sla.codec';
import { BusinessHours } from '../sla/business-hours.model';
import { forgetSlaConfiguration } from '../sla/sla.service';
import { makeTeam } from '../test/factories';
import { eventually } from '../test/eventually';
import { httpServer, useParley } from '../test/harness';
import { signedInAs } from '../test/sessions';
import { Ticket, assigneeFields, priorityRank, type TicketDoc } from '../tickets/ticket.model';
import { localDateOf } from './report.periods';
import { botAnswered, isSolved } from './rollup.facts';
import { Rollup } from './rollup.model';
import { rebuildRollups } from './rollups.service';

const parley = useParley(['api', 'worker']);
const http = () => request(httpServer(parley()));
const MINUTE = 60_000;

/** A small deterministic generator: the month looks the same on every run. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const clock = (state: SlaClockState, startedAt: Date, completedAt: Date | null): SlaClockValue => ({
  state,
  targetMinutes: 60,
  startedAt,
  dueAt: new Date(startedAt.getTime() + 60 * MINUTE),
  remainingMinutes: null,
  completedAt,
  breachedAt: state === 'breached' ? new Date(startedAt.getTime() + 60 * MINUTE) : null,
});

const hoursSpec: BusinessHoursSpec = {
  timezone: 'Europe/Paris',
  intervals: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })),
  holidays: ['2024-10-15'],
};

interface Seeded {
  teams: Types.ObjectId[];
  hoursId: Types.ObjectId;
}

/** A month of tickets around the end of summer time in Paris (27 October 2024), stored directly. */
async function seedMonth(): Promise<Seeded> {
  const random = generator(42);
  const teams = [(await makeTeam())._id, (await makeTeam())._id];
  const agents = [new Types.ObjectId(), new Types.ObjectId(), null];
  const channels = [new Types.ObjectId(), new Types.ObjectId()];
  const priorities: Priority[] = ['low', 'normal', 'high', 'urgent'];
  const hoursId = (await BusinessHours.create({ name: `Paris office ${Date.now()}`, ...hoursSpec }))._id;
  forgetSlaConfiguration();
  const start = Date.parse('2024-10-01T00:00:00Z');
  const docs = Array.from({ length: 150 }, (_, n) => {
    const createdAt = new Date(start + Math.floor(random() * 30 * 24 * 60) * MINUTE);
    const respondedIn = random() < 0.85 ? Math.floor(random() ** 3 * 3000) : null;
    const firstResponseAt = respondedIn === null ? null : new Date(createdAt.getTime() + respondedIn * MINUTE);
    const byBot = firstResponseAt !== null && random() < 0.3;
    const firstHumanResponseAt = firstResponseAt === null ? null : byBot ? (random() < 0.5 ? null : new Date(firstResponseAt.getTime() + 30 * MINUTE)) : firstResponseAt;
    const solved = firstResponseAt !== null && random() < 0.7;
    const solvedAt = solved ? new Date(createdAt.getTime() + Math.floor(random() * 4 * 1440 + (respondedIn ?? 0)) * MINUTE) : undefined;
    const withHours = n % 2 === 0;
    const nextStarted = firstResponseAt ? new Date(firstResponseAt.getTime() + 120 * MINUTE) : null;
    const sla = {
      policyId: null,
      policyName: null,
      businessHoursId: withHours ? hoursId : null,
      firstResponse: firstResponseAt ? clock(respondedIn !== null && respondedIn <= 60 ? 'met' : 'breached', createdAt, firstResponseAt) : clock('running', createdAt, null),
      nextResponse: nextStarted && random() < 0.5 ? clock(random() < 0.7 ? 'met' : 'breached', nextStarted, new Date(nextStarted.getTime() + Math.floor(random() * 600) * MINUTE)) : null,
      resolution: solvedAt ? clock(random() < 0.6 ? 'met' : 'breached', createdAt, solvedAt) : clock('running', createdAt, null),
    };
    const priority = priorities[n % priorities.length] ?? 'normal';
    return {
      number: 10_000 + n,
      subject: `Month ticket ${n}`,
      status: solved ? (n % 3 === 0 ? 'closed' : 'solved') : 'open',
      priority,
      priorityRank: priorityRank(priority),
      channelId: channels[n % channels.length],
      channelKind: 'simulator',
      origin: 'public',
      contactId: new Types.ObjectId(),
      teamId: teams[n % teams.length],
      ...assigneeFields(agents[n % agents.length] ?? null),
      tags: [],
      unreadCount: 0,
      messageCount: 1,
      lastMessageAt: createdAt,
      lastMessagePreview: '',
      slaClocks: encodeSla(sla),
      slaDueRank: 0,
      ...(solvedAt ? { solvedAt } : {}),
      firstResponseAt,
      firstHumanResponseAt,
      ...(n % 7 === 0 ? { botState: 'handed_off', handoff: { at: createdAt, reason: 'customer_asked', summary: '', learnt: { intent: null, reference: null, email: null, language: null } } } : {}),
      createdAt,
      updatedAt: createdAt,
    };
  });
  await Ticket.collection.insertMany(docs);
  return { teams, hoursId };
}

async function rollupQueueDrained(): Promise<boolean> {
  const counts = await parley().queues.queue('rollups').getJobCounts();
  return counts.waiting + counts.active + counts.delayed === 0;
}

const snapshot = async () =>
  (await Rollup.find({}, { counts: 1 }).sort({ _id: 1 }).lean()).map((rollup) => ({ _id: rollup._id, counts: rollup.counts }));

/** Nearest-rank quantile of raw durations. */
function rawQuantile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1] ?? null;
}

/** The reported quantile lies in the bucket that holds the exact one: the rollups' resolution. */
function expectWithinBucket(reported: number | null, exact: number | null, what: string): void {
  if (exact === null) return expect({ what, reported }).toEqual({ what, reported: null });
  const bucket = durationBucket(exact);
  const low = DURATION_BUCKET_EDGES[bucket] ?? 0;
  const high = DURATION_BUCKET_EDGES[bucket + 1] ?? Infinity;
  expect({ what, inBucket: reported !== null && reported >= low && (reported < high || (high === Infinity && reported === low)) }).toEqual({ what, inBucket: true });
}

function compareWithRaw(report: ResponseTimeReport, tickets: TicketDoc[], hoursId: Types.ObjectId): void {
  const zone = report.tz;
  for (const row of report.rows) {
    const created = tickets.filter((ticket) => localDateOf(ticket.createdAt, zone) === row.key);
    const solved = tickets.filter((ticket) => isSolved(ticket) && localDateOf(ticket.solvedAt, zone) === row.key);
    const hoursOf = (ticket: TicketDoc) => (ticket.slaClocks?.includes(hoursId.toHexString()) ? hoursSpec : null);
    expect({ day: row.key, created: row.created, solved: row.solved, responded: row.responded, botAnswered: row.botAnswered, handedOff: row.handedOff }).toEqual({
      day: row.key,
      created: created.length,
      solved: solved.length,
      responded: created.filter((ticket) => ticket.firstResponseAt).length,
      botAnswered: created.filter(botAnswered).length,
      handedOff: created.filter((ticket) => ticket.handoff).length,
    });
    const responded = created.filter((ticket): ticket is TicketDoc & { firstResponseAt: Date } => ticket.firstResponseAt instanceof Date);
    const calendar = responded.map((ticket) => (ticket.firstResponseAt.getTime() - ticket.createdAt.getTime()) / MINUTE);
    const business = responded.map((ticket) => businessMinutesBetween(ticket.createdAt, ticket.firstResponseAt, hoursOf(ticket)));
    expectWithinBucket(row.firstResponse.medianCalendarMinutes, rawQuantile(calendar, 0.5), `${row.key} first response median`);
    expectWithinBucket(row.firstResponse.p90CalendarMinutes, rawQuantile(calendar, 0.9), `${row.key} first response p90`);
    expectWithinBucket(row.firstResponse.medianBusinessMinutes, rawQuantile(business, 0.5), `${row.key} first response business median`);
    expectWithinBucket(row.firstResponse.p90BusinessMinutes, rawQuantile(business, 0.9), `${row.key} first response business p90`);
    const resolution = solved.map((ticket) => (ticket.solvedAt!.getTime() - ticket.createdAt.getTime()) / MINUTE);
    expectWithinBucket(row.resolution.p90CalendarMinutes, rawQuantile(resolution, 0.9), `${row.key} resolution p90`);
  }
  expect(report.totals.created).toBe(report.rows.reduce((sum, row) => sum + row.created, 0));
}

describe('response-time reports from rollups', () => {
  let seeded: Seeded;
  let supervisor: Record<string, string>;

  beforeAll(async () => {
    seeded = await seedMonth();
    supervisor = (await signedInAs(httpServer(parley()), { role: 'supervisor' })).headers;
    const tickets = await Ticket.find({}, { _id: 1 }).lean();
    const { events } = parley();
    // Every ticket's creation, then each event again (a replay) and a change on a third of them.
    for (const { _id } of tickets) events.emit('ticket.created', { ticketId: _id });
    for (const { _id } of tickets) events.emit('ticket.created', { ticketId: _id });
    const changed = tickets.filter((_, index) => index % 3 === 0);
    for (const [index, { _id }] of changed.entries()) {
      await Ticket.collection.updateOne({ _id }, { $set: { teamId: seeded.teams[index % 2] ?? null, priority: 'urgent' } });
      events.emit('ticket.updated', { ticketId: _id });
      events.emit('message.created', { ticketId: _id, messageId: new Types.ObjectId() });
    }
    await eventually(rollupQueueDrained, Boolean, 'the rollup jobs to finish', 60_000);
  }, 120_000);

  it('rebuilds exactly the rollups the worker keeps', async () => {
    const live = await snapshot();
    expect(live.length).toBeGreaterThan(100);
    const rebuilt = await rebuildRollups();
    expect(rebuilt.tickets).toBe(150);
    expect(await snapshot()).toEqual(live);
  });

  it.each(['UTC', 'Europe/Paris'])('reports per day in %s what the raw tickets say', async (tz) => {
    const response = await http().get('/api/reports/response-times').query({ from: '2024-10-01', to: '2024-10-31', tz, groupBy: 'day' }).set(supervisor).expect(200);
    const report = responseTimeReportSchema.parse(response.body);
    expect(report.rows.map((row) => row.key)).toHaveLength(31);
    const tickets = await Ticket.find({}).lean<TicketDoc[]>();
    compareWithRaw(report, tickets, seeded.hoursId);
    if (tz === 'Europe/Paris') {
      const dstDay = tickets.filter((ticket) => ticket.createdAt >= new Date('2024-10-26T22:00:00Z') && ticket.createdAt < new Date('2024-10-27T23:00:00Z'));
      expect(report.rows.find((row) => row.key === '2024-10-27')?.created).toBe(dstDay.length);
    }
  });

  it('groups by team with names, and compliance from the clocks', async () => {
    const response = await http().get('/api/reports/response-times').query({ from: '2024-10-01', to: '2024-10-31', tz: 'Europe/Paris', groupBy: 'team' }).set(supervisor).expect(200);
    const report = responseTimeReportSchema.parse(response.body);
    expect(report.rows.map((row) => row.key).sort()).toEqual(seeded.teams.map((id) => id.toHexString()).sort());
    expect(report.rows.every((row) => row.label.startsWith('Team '))).toBe(true);
    const { met, breached, percent } = report.totals.compliance.firstResponse;
    expect(met + breached).toBeGreaterThan(0);
    expect(percent).toBeCloseTo((met / (met + breached)) * 100, 0);
  });

  it('answers CSV with a header row', async () => {
    const response = await http()
      .get('/api/reports/response-times')
      .query({ from: '2024-10-01', to: '2024-10-07', tz: 'Europe/Paris', groupBy: 'week', format: 'csv' })
      .set(supervisor)
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^week,label,created,solved,/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^total,Total,\d+/);
  });

  it('refuses agents, and bad input naming the field', async () => {
    const agent = (await signedInAs(httpServer(parley()), { role: 'agent' })).headers;
    await http().get('/api/reports/response-times').query({ from: '2024-10-01', to: '2024-10-31', groupBy: 'day' }).set(agent).expect(403);
    const cases: Array<[Record<string, string>, string]> = [
      [{ from: '2024-10-01', to: '2024-10-31', groupBy: 'hour' }, 'groupBy'],
      [{ from: '2024-10-01', to: '2024-10-31', groupBy: 'day', tz: 'Europe/Atlantis' }, 'tz'],
      [{ from: '2024-10-31', to: '2024-10-01', groupBy: 'day' }, 'to'],
      [{ from: '2023-01-01', to: '2024-10-01', groupBy: 'day' }, 'to'],
    ];
    for (const [query, field] of cases) {
      const response = await http().get('/api/reports/response-times').query(query).set(supervisor).expect(400);
      expect(errorBodySchema.parse(response.body).error.field).toBe(field);
    }
  });
});
