import request from 'supertest';
import { slaPolicyListSchema, ticketListResponseSchema } from '@parley/common';
import { RawEvent } from '../ingest/raw-event.model';
import { demoChannels } from '../seed/demo.seed';
import { TEST_CREDENTIALS_KEY } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { Message } from '../tickets/message.model';
import { Ticket } from '../tickets/ticket.model';
import { createTraffic } from './traffic';

const DEMO_PASSWORD = 'demo password for the role test';

// What `npm start` runs: the demo seed, then the simulator role once the api listens.
const parley = useParley(['api', 'worker', 'simulator'], {
  CREDENTIALS_KEY: TEST_CREDENTIALS_KEY,
  PARLEY_SEED_DEMO: 'true',
  PARLEY_DEMO_PASSWORD: DEMO_PASSWORD,
  SIMULATOR_BACKLOG: '5',
  SIMULATOR_RATE_PER_MINUTE: '0',
  SIMULATOR_SEED: 'role-test',
});

describe('the simulator role', () => {
  it('back-fills the seeded demo channels, and the demo agent sees the tickets', async () => {
    // The same seed and channels give the same backlog: this many events in 5 conversations.
    const expected = createTraffic({ seed: 'role-test', channels: demoChannels.map((channel) => ({ id: channel.externalAccountId, imitates: channel.imitates })) }).backlog(5, new Date());

    const deadline = Date.now() + 20_000;
    while ((await Message.countDocuments({ direction: 'inbound', ingestState: 'done' })) < expected.length || (await RawEvent.countDocuments({ status: 'pending' })) > 0) {
      if (Date.now() > deadline) throw new Error('the backlog did not arrive');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await Message.find({ direction: 'inbound' }).lean()).map((message) => message.text).sort()).toEqual(expected.map((delivery) => delivery.event.text).sort());
    expect(await Ticket.countDocuments({})).toBe(5);

    const login = await request(httpServer(parley())).post('/api/auth/login').send({ email: 'agent@demo.parley', password: DEMO_PASSWORD }).expect(200);
    const list = await request(httpServer(parley())).get('/api/tickets').set({ authorization: `Bearer ${(login.body as { token: string }).token}` }).expect(200);
    const items = ticketListResponseSchema.parse(list.body).items;
    expect(items).toHaveLength(5);
    const admin = await request(httpServer(parley())).post('/api/auth/login').send({ email: 'admin@demo.parley', password: DEMO_PASSWORD }).expect(200);
    const policies = await request(httpServer(parley())).get('/api/sla-policies').set({ authorization: `Bearer ${(admin.body as { token: string }).token}` }).expect(200);
    const [policy] = slaPolicyListSchema.parse(policies.body).items;
    expect(policy).toMatchObject({ name: 'Social care', businessHoursId: null, channelIds: [] });
    // The demo's SLA policy applies: every ticket owes a first response and a resolution, by the priority triage gave it.
    for (const ticket of items) {
      const targets = policy!.targets[ticket.priority];
      expect(ticket.sla).toMatchObject({ policyName: 'Social care', firstResponse: { targetMinutes: targets.firstResponseMinutes }, resolution: { targetMinutes: targets.resolutionMinutes } });
    }
  });
});
