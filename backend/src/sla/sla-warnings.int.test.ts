import type { Types } from 'mongoose';
import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import {
  errorBodySchema,
  slaPolicySchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SimulatorEvent,
  type SlaBreachedEvent,
  type SlaPolicyInput,
  type SlaWarningEvent,
} from '@parley/common';
import { onlineAgents } from '../realtime/online';
import { startParley, type Parley } from '../server';
import { deliverToSimulator } from '../test/deliveries';
import { eventually } from '../test/eventually';
import { TEST_CREDENTIALS_KEY, makeSimulatorChannel, makeSimulatorEvent, makeTeam } from '../test/factories';
import { httpServer, testConfig, testLog, useParley } from '../test/harness';
import { signedInAs } from '../test/sessions';
import { AuditEvent } from '../tickets/audit-event.model';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import { checkSlaBreaches, checkSlaWarnings, sweepSlaBreaches } from './sla.processor';

/**
 * Warnings before a breach and the breach itself, told once each to the people who have the
 * ticket and to the supervisors, by real bull timers, by the sweep when a timer was lost
 * across a worker restart, and escalated as the policy says.
 */

const settings = { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY };
const api = useParley(['api'], settings);
const http = () => request(httpServer(api()));
let worker: Parley | undefined;

const startWorker = async () => {
  // The SLA sweep runs once a minute among all workers: let the new worker's start-up run happen.
  await api().redis.client.del(`${api().config.QUEUE_PREFIX}:periodic:sweep-sla`);
  worker = await startParley(testConfig(settings), ['worker'], testLog());
};
const stopWorker = async () => {
  await worker?.stop();
  worker = undefined;
};

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Heard {
  warnings: SlaWarningEvent[];
  breaches: SlaBreachedEvent[];
}
const sockets: Client[] = [];
async function listen(token: string): Promise<Heard> {
  const socket: Client = connect(`http://127.0.0.1:${api().port}`, { auth: { token }, transports: ['websocket'], reconnection: false });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const heard: Heard = { warnings: [], breaches: [] };
  socket.on('sla.warning', (event) => heard.warnings.push(event));
  socket.on('sla.breached', (event) => heard.breaches.push(event));
  return heard;
}
const about = (ticketId: string) => (event: { ticket: { id: string } }) => event.ticket.id === ticketId;

const targets = { firstResponseMinutes: 1, nextResponseMinutes: null, resolutionMinutes: 600 };
const policyFor = (name: string, channelId: Types.ObjectId, fields: Partial<SlaPolicyInput> = {}): SlaPolicyInput => ({
  name,
  channelIds: [channelId.toHexString()],
  targets: { low: targets, normal: targets, high: targets, urgent: targets },
  ...fields,
});

let admin: Record<string, string>;
let supervisorHeard: Heard;
let team: Awaited<ReturnType<typeof makeTeam>>;

beforeAll(async () => {
  team = await makeTeam();
  admin = (await signedInAs(httpServer(api()), { role: 'admin' })).headers;
  supervisorHeard = await listen((await signedInAs(httpServer(api()), { role: 'supervisor' })).token);
  await startWorker();
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await stopWorker();
});

async function createPolicy(input: SlaPolicyInput) {
  return slaPolicySchema.parse((await http().post('/api/sla-policies').set(admin).send(input).expect(201)).body);
}

/** A customer's message written `secondsAgo` (its clocks start then), as the ticket it opened. */
async function customerWrote(channel: Awaited<ReturnType<typeof makeSimulatorChannel>>, secondsAgo: number): Promise<{ ticket: TicketDoc; sentAt: Date }> {
  const sentAt = new Date(Date.now() - secondsAgo * 1000);
  const event: SimulatorEvent = makeSimulatorEvent({ at: sentAt.toISOString(), author: { id: `sla-warn-${Date.now()}` } });
  await deliverToSimulator(httpServer(api()), channel, [event]);
  const ticket = await eventually(
    () => Ticket.findOne({ channelId: channel._id, lastMessagePreview: event.text }).lean<TicketDoc>(),
    (stored): stored is TicketDoc => stored !== null,
    'the ticket',
  );
  return { ticket, sentAt };
}

const slaDeps = () => {
  const { events, locks, queues, redis, config } = api();
  return { events, locks, queues, log: testLog(), online: onlineAgents(redis.client, config.QUEUE_PREFIX) };
};

describe('SLA warnings and breaches', () => {
  it('are settings of a policy: a share strictly between 0 and 1 and a team that exists, with errors naming the field', async () => {
    const channel = await makeSimulatorChannel({ teamId: team._id });
    for (const warnAtShare of [0, 1, 1.5]) {
      const body = errorBodySchema.parse((await http().post('/api/sla-policies').set(admin).send(policyFor(`Bad ${warnAtShare}`, channel._id, { warnAtShare })).expect(400)).body);
      expect(body.error.field).toBe('warnAtShare');
    }
    const unknownTeam = errorBodySchema.parse(
      (
        await http()
          .post('/api/sla-policies')
          .set(admin)
          .send(policyFor('Bad team', channel._id, { escalation: { reassignTeamId: '0123456789abcdef01234567' } }))
          .expect(400)
      ).body,
    );
    expect(unknownTeam.error.field).toBe('escalation.reassignTeamId');

    const created = await createPolicy(policyFor('Defaults', channel._id));
    expect(created).toMatchObject({ warnAtShare: 0.75, escalation: { notify: true, raisePriority: false, reassignTeamId: null, unassignAbsent: false } });
    const patched = slaPolicySchema.parse(
      (await http().patch(`/api/sla-policies/${created.id}`).set(admin).send({ escalation: { raisePriority: true, reassignTeamId: team._id.toHexString() } }).expect(200)).body,
    );
    expect(patched).toMatchObject({ warnAtShare: 0.75, escalation: { notify: true, raisePriority: true, reassignTeamId: team._id.toHexString() } });
    const kept = slaPolicySchema.parse((await http().patch(`/api/sla-policies/${created.id}`).set(admin).send({ warnAtShare: 0.5 }).expect(200)).body);
    expect(kept).toMatchObject({ warnAtShare: 0.5, escalation: { raisePriority: true } });
    await http().patch(`/api/sla-policies/${created.id}`).set(admin).send({ warnAtShare: 1 }).expect(400);
    await http().delete(`/api/sla-policies/${created.id}`).set(admin).expect(204);
  });

  it('warn the assignee and the supervisors once when the share of the clock has passed, then tell them of the breach once', async () => {
    const channel = await makeSimulatorChannel({ teamId: team._id });
    await createPolicy(policyFor('Live timers', channel._id, { warnAtShare: 0.95 }));
    const agent = await signedInAs(httpServer(api()), { role: 'agent', teamIds: [team._id] });
    const agentHeard = await listen(agent.token);
    // Written 54 s ago with a 1-minute target: the warning is due at 57 s (in ~3 s), the breach at 60 s.
    const { ticket, sentAt } = await customerWrote(channel, 54);
    const id = ticket._id.toHexString();
    await http().patch(`/api/tickets/${id}`).set(admin).send({ assigneeId: agent.user._id.toHexString() }).expect(200);
    const dueAt = new Date(sentAt.getTime() + 60_000).toISOString();

    await eventually(() => Promise.resolve(agentHeard.warnings.filter(about(id))), (items) => items.length > 0, 'the warning', 20_000);
    expect(Date.now()).toBeLessThan(sentAt.getTime() + 60_000);
    expect(agentHeard.warnings.filter(about(id))).toEqual([
      { ticket: { id, number: ticket.number, subject: ticket.subject }, clock: 'firstResponse', dueAt, share: 0.95, assigneeId: agent.user._id.toHexString(), teamId: team._id.toHexString() },
    ]);
    await eventually(() => Promise.resolve(supervisorHeard.warnings.filter(about(id))), (items) => items.length === 1, 'the supervisors’ warning');
    expect(agentHeard.breaches.filter(about(id))).toEqual([]);

    const breach = await eventually(() => Promise.resolve(agentHeard.breaches.filter(about(id))), (items) => items.length > 0, 'the breach', 30_000);
    expect(breach).toEqual([expect.objectContaining({ clock: 'firstResponse', dueAt, breachedAt: dueAt, assigneeId: agent.user._id.toHexString() })]);
    await eventually(() => Promise.resolve(supervisorHeard.breaches.filter(about(id))), (items) => items.length === 1, 'the supervisors’ breach');

    // A retried job and a sweep find nothing left to tell.
    expect(await checkSlaWarnings(ticket._id, slaDeps())).toBe(0);
    expect(await checkSlaBreaches(ticket._id, slaDeps())).toBe(false);
    await sweepSlaBreaches(slaDeps());
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(agentHeard.warnings.filter(about(id))).toHaveLength(1);
    expect(agentHeard.breaches.filter(about(id))).toHaveLength(1);
    expect(supervisorHeard.warnings.filter(about(id))).toHaveLength(1);
  });

  it('are told by the sweep of a restarted worker when their timers were lost, once each', async () => {
    const channel = await makeSimulatorChannel({ teamId: team._id });
    await createPolicy(policyFor('Lost timers', channel._id, { warnAtShare: 0.9 }));
    const agent = await signedInAs(httpServer(api()), { role: 'agent', teamIds: [team._id] });
    const teamHeard = await listen(agent.token);
    // Warning in ~4 s, breach in ~10 s; nobody has the ticket, so its team hears.
    const { ticket, sentAt } = await customerWrote(channel, 50);
    const id = ticket._id.toHexString();
    const dueMs = sentAt.getTime() + 60_000;
    const loseJobs = async () => {
      const queue = api().queues.queue('sla');
      for (const jobId of [`warn:${id}:firstResponse:${dueMs}`, `check:${id}:${dueMs}`]) await (await queue.getJob(jobId))?.remove();
    };
    await eventually(() => api().queues.queue('sla').getJob(`warn:${id}:firstResponse:${dueMs}`), (job) => job !== null, 'the warning job');
    await stopWorker();
    await loseJobs();

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, sentAt.getTime() + 54_500 - Date.now())));
    await startWorker();
    await eventually(() => Promise.resolve(teamHeard.warnings.filter(about(id))), (items) => items.length > 0, 'the swept warning', 10_000);
    expect(teamHeard.warnings.filter(about(id))).toEqual([expect.objectContaining({ clock: 'firstResponse', assigneeId: null, teamId: team._id.toHexString() })]);

    // Another restart after the due time: its sweep tells of the breach, and not of the warning again.
    await stopWorker();
    await loseJobs();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueMs + 500 - Date.now())));
    await startWorker();
    await eventually(() => Promise.resolve(teamHeard.breaches.filter(about(id))), (items) => items.length > 0, 'the swept breach', 10_000);
    await sweepSlaBreaches(slaDeps());
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(teamHeard.warnings.filter(about(id))).toHaveLength(1);
    expect(teamHeard.breaches.filter(about(id))).toHaveLength(1);
    expect(supervisorHeard.warnings.filter(about(id))).toHaveLength(1);
    expect(supervisorHeard.breaches.filter(about(id))).toHaveLength(1);
  }, 60_000);

  it('escalate as the policy says: a priority one step up and another team, done and audited by the policy', async () => {
    const channel = await makeSimulatorChannel({ teamId: team._id });
    const escalations = await makeTeam();
    const policy = await createPolicy(policyFor('Escalating', channel._id, { escalation: { raisePriority: true, reassignTeamId: escalations._id.toHexString() } }));
    const agent = await signedInAs(httpServer(api()), { role: 'agent', teamIds: [team._id] });
    const { ticket } = await customerWrote(channel, 57);
    const id = ticket._id.toHexString();
    await http().patch(`/api/tickets/${id}`).set(admin).send({ assigneeId: agent.user._id.toHexString(), priority: 'normal' }).expect(200);

    const escalated = await eventually(
      () => Ticket.findById(ticket._id).lean<TicketDoc>(),
      (current): current is TicketDoc => current?.teamId?.equals(escalations._id) === true && current.priority === 'high',
      'the escalation',
      20_000,
    );
    expect(escalated).toMatchObject({ priority: 'high', prioritySource: 'policy', assigneeId: null });
    const audit = await AuditEvent.find({ ticketId: ticket._id, actorKind: 'policy' }).sort({ at: 1 }).lean();
    expect(audit.map(({ actorId, actorName, before, after }) => ({ actorId: actorId?.toHexString(), actorName, before, after }))).toEqual([
      { actorId: policy.id, actorName: 'Escalating', before: { priority: 'normal' }, after: { priority: 'high' } },
      {
        actorId: policy.id,
        actorName: 'Escalating',
        before: { teamId: team._id.toHexString(), assigneeId: agent.user._id.toHexString() },
        after: { teamId: escalations._id.toHexString(), assigneeId: null },
      },
    ]);
    await eventually(() => Promise.resolve(supervisorHeard.breaches.filter(about(id))), (items) => items.length === 1, 'the breach notice');
    // A sweep after it does not escalate again.
    await sweepSlaBreaches(slaDeps());
    expect(await AuditEvent.countDocuments({ ticketId: ticket._id, actorKind: 'policy' })).toBe(2);
  });

  it('take the ticket from an agent who is offline, without a notice when the policy says not to notify', async () => {
    const channel = await makeSimulatorChannel({ teamId: team._id });
    const policy = await createPolicy(policyFor('Unassigning', channel._id, { escalation: { notify: false, unassignAbsent: true } }));
    const absent = await signedInAs(httpServer(api()), { role: 'agent', teamIds: [team._id] });
    const { ticket } = await customerWrote(channel, 57);
    await http().patch(`/api/tickets/${ticket._id.toHexString()}`).set(admin).send({ assigneeId: absent.user._id.toHexString() }).expect(200);

    await eventually(() => AuditEvent.findOne({ ticketId: ticket._id, actorKind: 'policy' }).lean(), (event) => event !== null, 'the unassignment', 20_000);
    const audit = await AuditEvent.find({ ticketId: ticket._id, actorKind: 'policy' }).lean();
    expect(audit).toEqual([expect.objectContaining({ actorName: 'Unassigning', before: { assigneeId: absent.user._id.toHexString() }, after: { assigneeId: null } })]);
    expect(audit[0]?.actorId?.toHexString()).toBe(policy.id);
    expect((await Ticket.findById(ticket._id).lean())?.assigneeId).toBeNull();
    expect(supervisorHeard.breaches.filter(about(ticket._id.toHexString()))).toEqual([]);
  });
});
