import request from 'supertest';
import { errorBodySchema, slaPolicySchema, ticketDetailSchema, type SimulatorEvent, type SlaPolicy, type SlaPolicyInput, type TicketDetail } from '@parley/common';
import type { Types } from 'mongoose';
import { deliverToSimulator } from '../test/deliveries';
import { TEST_CREDENTIALS_KEY, makeSimulatorChannel, makeSimulatorEvent, makeTeam } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { signedInAs } from '../test/sessions';
import { Message } from '../tickets/message.model';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const server = () => httpServer(parley());
const http = () => request(server());
type TestChannel = Awaited<ReturnType<typeof makeSimulatorChannel>>;

const targets = (first: number) => ({ firstResponseMinutes: first, nextResponseMinutes: 30, resolutionMinutes: 480 });
const allPriorities = (first: number) => ({ urgent: targets(first), high: targets(first), normal: targets(first), low: targets(first) });

describe('SLA policy matching', () => {
  let admin: Record<string, string>;
  let teamA: Types.ObjectId;
  let teamB: Types.ObjectId;
  let channelA: TestChannel;
  let channelB: TestChannel;

  const createPolicy = async (input: SlaPolicyInput): Promise<SlaPolicy> => slaPolicySchema.parse((await http().post('/api/sla-policies').set(admin).send(input).expect(201)).body);
  const show = async (id: string): Promise<TicketDetail> => ticketDetailSchema.parse((await http().get(`/api/tickets/${id}`).set(admin).expect(200)).body);
  const patchTicket = (id: string, body: object) => http().patch(`/api/tickets/${id}`).set(admin).send(body).expect(200);

  /** A customer's message delivered on a channel, and the ticket it opened. */
  async function customerWrites(channel: TestChannel, fields: Partial<SimulatorEvent> & { author?: Partial<SimulatorEvent['author']> }): Promise<TicketDetail> {
    const event = makeSimulatorEvent({ at: new Date(Date.now() - 60_000).toISOString(), ...fields });
    const raw = await deliverToSimulator(server(), channel, [event]);
    expect(raw.status).toBe('processed');
    const message = await Message.findOne({ channelId: channel._id, externalId: event.id }).lean();
    if (!message?.ticketId) throw new Error(`no ticket for ${event.id}`);
    return show(message.ticketId.toHexString());
  }

  beforeAll(async () => {
    teamA = (await makeTeam())._id;
    teamB = (await makeTeam())._id;
    admin = (await signedInAs(server(), { role: 'admin', teamIds: [teamA, teamB] })).headers;
    channelA = await makeSimulatorChannel({ teamId: teamA });
    channelB = await makeSimulatorChannel({ teamId: teamB });
    const vips = (await http().post('/api/vip-lists').set(admin).send({ name: 'Gold members', kind: 'vip' }).expect(201)).body as { id: string };
    await http().post(`/api/vip-lists/${vips.id}/entries`).set(admin).send({ platform: 'simulator', handle: '@gold_fan' }).expect(201);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const base: SlaPolicyInput = { name: 'Refused', targets: allPriorities(60) };
    const refused = async (body: object, path = '/api/sla-policies', method: 'post' | 'patch' = 'post') =>
      errorBodySchema.parse((await http()[method](path).set(admin).send(body).expect(400)).body).error.field;
    expect(await refused({ ...base, order: -1 })).toBe('order');
    expect(await refused({ ...base, order: 1.5 })).toBe('order');
    expect(await refused({ ...base, influenceTiers: ['vip', 'royalty'] })).toBe('influenceTiers.1');
    expect(await refused({ ...base, origins: ['email'] })).toBe('origins.0');
    expect(await refused({ ...base, teamIds: [teamA.toHexString(), '0123456789abcdef01234567'] })).toBe('teamIds.1');
    expect(await refused({ ...base, pauseStatuses: ['pending', 'solved'] })).toBe('pauseStatuses.1');
    expect(await refused({ ...base, pauseStatuses: ['closed'] })).toBe('pauseStatuses.0');
    expect(await refused({ ...base, targets: { ...base.targets, high: targets(-5) } })).toBe('targets.high.firstResponseMinutes');
    expect(await refused({ ...base, targets: { ...base.targets, low: targets(0) } })).toBe('targets.low.firstResponseMinutes');

    const hours = { name: 'Split shift', timezone: 'Europe/Paris', intervals: [{ day: 1, start: '09:00', end: '13:00' }, { day: 1, start: '12:30', end: '17:00' }] };
    expect(await refused(hours, '/api/business-hours')).toBe('intervals.1');
    expect(await refused({ ...hours, timezone: 'Europe/Atlantis', intervals: [{ day: 1, start: '09:00', end: '17:00' }] }, '/api/business-hours')).toBe('timezone');

    const made = await createPolicy({ ...base, active: false });
    expect(await refused({ pauseStatuses: ['solved'] }, `/api/sla-policies/${made.id}`, 'patch')).toBe('pauseStatuses.0');
    expect(await refused({ order: -3 }, `/api/sla-policies/${made.id}`, 'patch')).toBe('order');
    await http().delete(`/api/sla-policies/${made.id}`).set(admin).expect(204);
  });

  it('gives a ticket the first active policy, in order, whose conditions all match it', async () => {
    const fallback = await createPolicy({ name: 'Everyone else', order: 100, targets: allPriorities(240) });
    // Fields an older client does not send default to no condition, the old pause statuses, and after the last policy.
    expect(fallback).toMatchObject({ order: 100, channelIds: [], origins: [], teamIds: [], influenceTiers: [], pauseStatuses: ['pending', 'on_hold'] });
    const vip = await createPolicy({ name: 'VIPs in public', order: 1, origins: ['public'], influenceTiers: ['vip', 'celebrity'], targets: allPriorities(10) });
    const switchedOff = await createPolicy({ name: 'Switched off', order: 0, active: false, targets: allPriorities(1) });
    const unordered = await createPolicy({ name: 'Added last', channelIds: [channelA._id.toHexString()], origins: ['private'], targets: allPriorities(120) });
    expect(unordered.order).toBe(101);

    const mention = await customerWrites(channelA, { author: { id: 'gold-1', handle: 'gold_fan' } });
    expect(mention.sla).toMatchObject({ policyName: 'VIPs in public', firstResponse: { targetMinutes: 10 } });
    // The same person privately, on the same channel: only the unconditioned policy before "Added last" matches.
    const dm = await customerWrites(channelA, { kind: 'dm', text: 'It is me again, privately', author: { id: 'gold-1', handle: 'gold_fan' } });
    expect(dm.id).not.toBe(mention.id);
    expect(dm.sla).toMatchObject({ policyName: 'Everyone else', firstResponse: { targetMinutes: 240 } });
    const plain = await customerWrites(channelA, { author: { id: 'plain-1', handle: 'plain_person', followers: 50 } });
    expect(plain.sla.policyName).toBe('Everyone else');

    for (const policy of [vip, switchedOff, unordered]) await http().delete(`/api/sla-policies/${policy.id}`).set(admin).expect(204);
  });

  it('lets the order decide between two matching policies, a team condition among them, and a new order applies to new tickets', async () => {
    const byTeam = await createPolicy({ name: 'Team B', order: 5, teamIds: [teamB.toHexString()], targets: allPriorities(20) });
    const byChannel = await createPolicy({ name: 'Channel B', order: 6, channelIds: [channelB._id.toHexString()], targets: allPriorities(45) });

    const first = await customerWrites(channelB, { author: { id: 'order-1' } });
    expect(first.sla.policyName).toBe('Team B');
    expect((await customerWrites(channelA, { author: { id: 'order-2' } })).sla.policyName).toBe('Everyone else');

    await http().patch(`/api/sla-policies/${byChannel.id}`).set(admin).send({ order: 4 }).expect(200);
    const second = await customerWrites(channelB, { author: { id: 'order-3' } });
    expect(second.sla).toMatchObject({ policyName: 'Channel B', firstResponse: { targetMinutes: 45 } });
    // The ticket opened before the change keeps its policy.
    expect((await show(first.id)).sla.policyName).toBe('Team B');

    for (const policy of [byTeam, byChannel]) await http().delete(`/api/sla-policies/${policy.id}`).set(admin).expect(204);
  });

  it('pauses the resolution by the pause statuses of the policy the ticket opened under', async () => {
    const policy = await createPolicy({ name: 'On hold counts', order: 2, teamIds: [teamB.toHexString()], pauseStatuses: ['pending'], targets: allPriorities(30) });
    expect(policy.pauseStatuses).toEqual(['pending']);
    const ticket = await customerWrites(channelB, { author: { id: 'pause-1' } });
    expect(ticket.sla.policyName).toBe('On hold counts');

    // The policy changes afterwards: the ticket keeps the statuses it opened with.
    const patched = slaPolicySchema.parse((await http().patch(`/api/sla-policies/${policy.id}`).set(admin).send({ pauseStatuses: ['pending', 'on_hold'] }).expect(200)).body);
    expect(patched).toMatchObject({ pauseStatuses: ['pending', 'on_hold'], order: 2, teamIds: [teamB.toHexString()] });

    await patchTicket(ticket.id, { status: 'on_hold' });
    expect((await show(ticket.id)).sla.resolution?.state).toBe('running');
    await patchTicket(ticket.id, { status: 'pending' });
    expect((await show(ticket.id)).sla.resolution?.state).toBe('paused');
    await patchTicket(ticket.id, { status: 'open' });
    expect((await show(ticket.id)).sla.resolution?.state).toBe('running');

    // A ticket opened after the change pauses on hold.
    const later = await customerWrites(channelB, { author: { id: 'pause-2' } });
    await patchTicket(later.id, { status: 'on_hold' });
    expect((await show(later.id)).sla.resolution?.state).toBe('paused');
  });
});
