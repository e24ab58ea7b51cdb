import type { Types } from 'mongoose';
import request from 'supertest';
import {
  SIGNATURE_HEADER,
  businessHoursSchema,
  errorBodySchema,
  loginResponseSchema,
  slaPolicySchema,
  ticketDetailSchema,
  ticketListResponseSchema,
  type SimulatorEvent,
  type SlaPolicyInput,
  type TicketDetail,
} from '@parley/common';
import { hmacSha256 } from '../connectors/signature';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeSimulatorChannel, makeSimulatorEvent, makeTeam, makeUser } from '../test/factories';
import { httpServer, testLog, useParley } from '../test/harness';
import { onlineAgents } from '../realtime/online';
import { Ticket } from '../tickets/ticket.model';
import { slaOf } from './sla.codec';
import { sweepSlaBreaches } from './sla.processor';
import { slaFields } from './sla.service';
import { eventually } from '../test/eventually';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));
type TestChannel = Awaited<ReturnType<typeof makeSimulatorChannel>>;

async function tokenOf(role: 'agent' | 'supervisor' | 'admin', teamIds: Types.ObjectId[] = []): Promise<string> {
  const user = await makeUser({ role, teamIds });
  const response = await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  return loginResponseSchema.parse(response.body).token;
}

async function deliver(channel: TestChannel, event: SimulatorEvent): Promise<void> {
  const body = JSON.stringify({ events: [event] });
  await http()
    .post(`/webhooks/simulator/${channel._id.toHexString()}`)
    .set('content-type', 'application/json')
    .set(SIGNATURE_HEADER, `sha256=${hmacSha256(channel.secret, body, 'hex')}`)
    .send(body)
    .expect(200);
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const targets = (first: number, next: number, resolution: number) => ({ firstResponseMinutes: first, nextResponseMinutes: next, resolutionMinutes: resolution });
const policyInput: SlaPolicyInput = {
  name: 'Social care',
  targets: { urgent: targets(15, 10, 120), high: targets(30, 20, 240), normal: targets(60, 30, 480), low: targets(240, 120, 1_440) },
};

describe('SLA clocks', () => {
  let admin: string;
  let agent: string;
  let channel: TestChannel;

  /** Delivers a customer's message and answers the ticket it made or joined, as the API shows it. */
  async function customerWrites(fields: Partial<SimulatorEvent>): Promise<TicketDetail> {
    const event = makeSimulatorEvent(fields);
    await deliver(channel, event);
    const ticket = await eventually(
      () => Ticket.findOne({ channelId: channel._id, lastMessagePreview: event.text }).lean(),
      (stored): stored is NonNullable<typeof stored> => stored !== null && stored.messageCount >= 1,
      'the ticket',
    );
    return show(ticket._id.toHexString());
  }

  const show = async (id: string) => ticketDetailSchema.parse((await http().get(`/api/tickets/${id}`).auth(agent, { type: 'bearer' }).expect(200)).body);

  beforeAll(async () => {
    const team = await makeTeam();
    admin = await tokenOf('admin');
    agent = await tokenOf('agent', [team._id]);
    channel = await makeSimulatorChannel({ teamId: team._id });
  });

  it('are configured by admins: business hours and policies, with errors naming the field', async () => {
    const supervisor = await tokenOf('supervisor');
    const hoursInput = { name: 'Office', timezone: 'Europe/Paris', intervals: [{ day: 1, start: '09:00', end: '17:00' }] };
    const badZone = errorBodySchema.parse((await http().post('/api/business-hours').auth(admin, { type: 'bearer' }).send({ ...hoursInput, timezone: 'Europe/Atlantis' }).expect(400)).body);
    expect(badZone.error.field).toBe('timezone');
    const hours = businessHoursSchema.parse((await http().post('/api/business-hours').auth(admin, { type: 'bearer' }).send(hoursInput).expect(201)).body);
    expect(hours).toMatchObject({ ...hoursInput, holidays: [] });

    const zero = errorBodySchema.parse(
      (await http().post('/api/sla-policies').auth(admin, { type: 'bearer' }).send({ ...policyInput, targets: { ...policyInput.targets, normal: targets(0, 30, 480) } }).expect(400)).body,
    );
    expect(zero.error.field).toBe('targets.normal.firstResponseMinutes');
    const unknownHours = errorBodySchema.parse(
      (await http().post('/api/sla-policies').auth(admin, { type: 'bearer' }).send({ ...policyInput, businessHoursId: '0123456789abcdef01234567' }).expect(400)).body,
    );
    expect(unknownHours.error.field).toBe('businessHoursId');
    await http().post('/api/sla-policies').auth(supervisor, { type: 'bearer' }).send(policyInput).expect(403);
    await http().get('/api/sla-policies').auth(agent, { type: 'bearer' }).expect(403);

    // A policy in business hours, then switched to around the clock by a PATCH that keeps the rest.
    const created = slaPolicySchema.parse((await http().post('/api/sla-policies').auth(admin, { type: 'bearer' }).send({ ...policyInput, businessHoursId: hours.id }).expect(201)).body);
    expect(created).toMatchObject({ name: 'Social care', active: true, businessHoursId: hours.id, channelIds: [] });
    await http().post('/api/sla-policies').auth(admin, { type: 'bearer' }).send(policyInput).expect(409);
    const conflict = errorBodySchema.parse((await http().delete(`/api/business-hours/${hours.id}`).auth(admin, { type: 'bearer' }).expect(409)).body);
    expect(conflict.error.message).toMatch(/Social care/);
    const patched = slaPolicySchema.parse((await http().patch(`/api/sla-policies/${created.id}`).auth(admin, { type: 'bearer' }).send({ businessHoursId: null }).expect(200)).body);
    expect(patched).toMatchObject({ businessHoursId: null, active: true, targets: policyInput.targets });
    const listed = (await http().get('/api/sla-policies').auth(supervisor, { type: 'bearer' }).expect(200)).body as { items: unknown[] };
    expect(listed.items).toHaveLength(1);
    await http().delete(`/api/business-hours/${hours.id}`).auth(admin, { type: 'bearer' }).expect(204);
  });

  it('start when the customer writes, stop at the agent\'s reply, and owe the next response when the customer writes again', async () => {
    const sentAt = minutesAgo(5);
    const mention = `sla-mention-${Date.now()}`;
    const opened = await customerWrites({ id: mention, at: sentAt.toISOString(), author: { id: 'sla-customer-1' } });
    expect(opened.sla).toMatchObject({ policyName: 'Social care', businessHours: false, nextResponse: null });
    expect(opened.sla.firstResponse).toMatchObject({ state: 'running', targetMinutes: 60, dueAt: new Date(sentAt.getTime() + 60 * 60_000).toISOString() });
    expect(opened.sla.resolution).toMatchObject({ state: 'running', targetMinutes: 480 });
    expect(opened.sla.nextDueAt).toBe(opened.sla.firstResponse?.dueAt);

    const before = Date.now();
    await http().post(`/api/tickets/${opened.id}/messages`).auth(agent, { type: 'bearer' }).send({ text: 'Looking into it!', visibility: 'note' }).expect(202);
    expect((await show(opened.id)).sla.firstResponse?.state).toBe('running');
    await http().post(`/api/tickets/${opened.id}/messages`).auth(agent, { type: 'bearer' }).send({ text: 'Hi! Checking your order now.', visibility: 'public' }).expect(202);
    const answered = await show(opened.id);
    expect(answered.sla.firstResponse?.state).toBe('met');
    expect(new Date(answered.sla.firstResponse?.completedAt ?? 0).getTime()).toBeGreaterThanOrEqual(before);
    expect(answered.sla.nextDueAt).toBe(answered.sla.resolution?.dueAt);

    const again = await customerWrites({ kind: 'reply', thread: mention, parent: mention, at: new Date().toISOString(), author: { id: 'sla-customer-1' }, text: 'Any news?' });
    expect(again.id).toBe(opened.id);
    expect(again.sla.nextResponse).toMatchObject({ state: 'running', targetMinutes: 30 });
  });

  it('pause the resolution while waiting on the customer, and take the new targets when the priority changes', async () => {
    const ticket = await customerWrites({ at: minutesAgo(1).toISOString(), author: { id: 'sla-customer-2' } });
    const patch = (body: object) => http().patch(`/api/tickets/${ticket.id}`).auth(agent, { type: 'bearer' }).send(body).expect(200);

    await patch({ status: 'pending' });
    const pending = await show(ticket.id);
    expect(pending.sla.resolution).toMatchObject({ state: 'paused' });
    expect(pending.sla.resolution?.remainingMinutes).toBeGreaterThan(470);
    await patch({ status: 'open' });
    expect((await show(ticket.id)).sla.resolution?.state).toBe('running');

    await patch({ priority: 'urgent' });
    const urgent = await show(ticket.id);
    expect(urgent.sla.firstResponse).toMatchObject({ state: 'running', targetMinutes: 15 });
    expect(new Date(urgent.sla.firstResponse?.dueAt ?? 0).getTime()).toBeLessThan(Date.now() + 15 * 60_000);

    await patch({ status: 'solved' });
    const solved = await show(ticket.id);
    expect(solved.sla).toMatchObject({ nextDueAt: null, firstResponse: { state: 'cancelled' }, resolution: { state: 'met' } });
  });

  it('breach at their due time: the timer marks the clock and the list sorts by what is due soonest', async () => {
    const late = await customerWrites({ at: minutesAgo(90).toISOString(), author: { id: 'sla-customer-3' } });
    const fresh = await customerWrites({ at: minutesAgo(1).toISOString(), author: { id: 'sla-customer-4' } });

    const breached = await eventually(() => show(late.id), (current) => current.sla.firstResponse?.state === 'breached', 'the breach');
    expect(breached.sla.firstResponse?.breachedAt).toBe(late.sla.firstResponse?.dueAt);
    expect(fresh.sla.firstResponse?.state).toBe('running');

    const list = ticketListResponseSchema.parse(
      (await http().get(`/api/tickets?channelId=${channel._id.toHexString()}&status=new&sort=slaDueAt&limit=1`).auth(agent, { type: 'bearer' }).expect(200)).body,
    );
    // The missed first response sorts the late ticket first, before the fresh one due in an hour.
    expect(list.items[0]?.id).toBe(late.id);
    const next = ticketListResponseSchema.parse(
      (await http().get(`/api/tickets?channelId=${channel._id.toHexString()}&status=new&sort=slaDueAt&limit=1&cursor=${list.nextCursor}`).auth(agent, { type: 'bearer' }).expect(200)).body,
    );
    expect(next.items[0]?.id).toBe(fresh.id);
    // Its next possible breach is the resolution, 6.5 hours away; what it owes most urgently is 30 minutes overdue.
    expect(breached.sla.nextDueAt).toBe(breached.sla.resolution?.dueAt);
    expect(breached.sla.earliestOwedDueAt).toBe(breached.sla.firstResponse?.dueAt);
  });

  it('are swept when a timer was lost, and a sweep twice changes nothing more', async () => {
    const ticket = await customerWrites({ at: minutesAgo(2).toISOString(), author: { id: 'sla-customer-5' } });
    // As if the due time passed while the timer job was lost (a Redis flush): move the clock back.
    const stored = slaOf((await Ticket.findById(ticket.id).lean()) ?? {});
    const due = minutesAgo(1);
    if (!stored?.firstResponse) throw new Error('the ticket has a first-response clock');
    expect(stored.firstResponse.state).toBe('running');
    await Ticket.updateOne({ _id: ticket.id }, { $set: slaFields({ ...stored, firstResponse: { ...stored.firstResponse, dueAt: due } }) });

    const { events, locks, queues, redis, config } = parley();
    const deps = { events, locks, queues, log: testLog(), online: onlineAgents(redis.client, config.QUEUE_PREFIX) };
    expect(await sweepSlaBreaches(deps)).toBeGreaterThanOrEqual(1);
    expect((await show(ticket.id)).sla.firstResponse).toMatchObject({ state: 'breached', breachedAt: due.toISOString() });
    const again = await Ticket.findById(ticket.id).lean();
    await sweepSlaBreaches(deps);
    expect((await Ticket.findById(ticket.id).lean())?.updatedAt).toEqual(again?.updatedAt);
  });
});
