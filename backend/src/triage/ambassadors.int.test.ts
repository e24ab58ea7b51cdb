import request from 'supertest';
import { ambassadorListResponseSchema, type SimulatorEvent } from '@parley/common';
import { Contact } from '../contacts/contact.model';
import { fans } from '../simulator/personas';
import { createTraffic } from '../simulator/traffic';
import { deliverToSimulator } from '../test/deliveries';
import { TEST_CREDENTIALS_KEY, makeSimulatorChannel } from '../test/factories';
import { signedInAs } from '../test/sessions';
import { httpServer, useParley } from '../test/harness';
import { Share } from './share.model';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));

const signIn = async (role: 'agent' | 'supervisor') => (await signedInAs(httpServer(parley()), { role })).headers;

describe('ambassadors', () => {
  it('are found in simulated traffic: the loyal fans, who praise, defend and share, rank first', async () => {
    const channel = await makeSimulatorChannel();
    const traffic = createTraffic({ seed: 'ambassadors', channels: [{ id: channel._id.toHexString(), imitates: 'x' }] });
    const start = Date.now() - 3 * 3_600_000;
    const events: SimulatorEvent[] = Array.from({ length: 240 }, (_, index) => traffic.next(new Date(start + index * 20_000)).event);
    for (let at = 0; at < events.length; at += 80) await deliverToSimulator(httpServer(parley()), channel, events.slice(at, at + 80));
    const sharesSent = events.filter((event) => event.kind === 'share').length;
    expect(sharesSent).toBeGreaterThan(0);
    expect(await Share.countDocuments({ channelId: channel._id })).toBe(sharesSent);

    const supervisor = await signIn('supervisor');
    const { items } = ambassadorListResponseSchema.parse((await http().get('/api/ambassadors').set(supervisor).expect(200)).body);
    const fanNames = new Set(fans.map((fan) => fan.name));
    const top = items.slice(0, 3).map((item) => item.contact.name);
    expect(top.filter((name) => fanNames.has(name)).length).toBeGreaterThanOrEqual(2);
    const [first] = items;
    expect(first!.positiveMentions + first!.defenses + first!.shares).toBeGreaterThan(2);
    expect(first!.negativeMentions).toBeLessThanOrEqual(first!.positiveMentions);
    expect(first!.latestTicketId).not.toBeNull();
    expect(items.some((item) => item.defenses > 0)).toBe(true);
    expect(items.some((item) => item.shares > 0)).toBe(true);
    // Someone who only complains is never an ambassador.
    for (const item of items) expect(item.score).toBeGreaterThan(0);
  }, 120_000);

  it('lets a supervisor tag a contact as an ambassador, and not an agent', async () => {
    const supervisor = await signIn('supervisor');
    const agent = await signIn('agent');
    const contact = await Contact.create({ name: 'Quiet Supporter', identities: [{ kind: 'simulator', externalId: 'quiet-supporter' }], tags: [] });
    await http().put(`/api/ambassadors/${contact._id.toHexString()}`).set(agent).expect(403);
    await http().put(`/api/ambassadors/${contact._id.toHexString()}`).set(supervisor).expect(204);
    await http().put(`/api/ambassadors/${contact._id.toHexString()}`).set(supervisor).expect(204);
    expect((await Contact.findById(contact._id).lean())?.tags).toEqual(['ambassador']);
    const listed = ambassadorListResponseSchema.parse((await http().get('/api/ambassadors').set(supervisor).expect(200)).body).items.find((item) => item.contact.id === contact._id.toHexString());
    expect(listed).toMatchObject({ tagged: true, positiveMentions: 0, latestTicketId: null });
    await http().delete(`/api/ambassadors/${contact._id.toHexString()}`).set(supervisor).expect(204);
    expect((await Contact.findById(contact._id).lean())?.tags).toEqual([]);
    await http().put('/api/ambassadors/000000000000000000000000').set(supervisor).expect(404);
  });
});
