import { onlineAgents } from '../realtime/online';
import { ingest } from '../ingest/ingest.service';
import { TEST_CREDENTIALS_KEY, makeSimulatorChannel, makeTeam, makeTicket, makeUser } from '../test/factories';
import { useParley } from '../test/harness';
import { Team } from '../users/team.model';
import { AuditEvent } from './audit-event.model';
import { Ticket } from './ticket.model';

const parley = useParley(['worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });

async function newTicketIn(channel: Awaited<ReturnType<typeof makeSimulatorChannel>>) {
  const id = `rr-${Date.now()}-${Math.random()}`;
  const result = await ingest(
    channel,
    { action: 'create', channelKind: 'simulator', externalId: id, visibility: 'public', author: { externalId: id }, text: 'hello', attachments: [], sentAt: new Date().toISOString(), tags: [] },
    null,
    parley().ingestDeps,
  );
  if (result.outcome !== 'stored') throw new Error('not stored');
  return result.ticketId;
}

async function assigneeOf(ticketId: Awaited<ReturnType<typeof newTicketIn>>, expectAssigned = true) {
  const deadline = Date.now() + (expectAssigned ? 5_000 : 500);
  for (;;) {
    const ticket = await Ticket.findById(ticketId).lean();
    if (ticket?.assigneeId || Date.now() > deadline) return ticket?.assigneeId?.toHexString() ?? null;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('round-robin assignment', () => {
  it('takes turns among the team\'s online agents under capacity, and skips the offline and the full', async () => {
    const team = await makeTeam();
    await Team.updateOne({ _id: team._id }, { $set: { autoAssign: true } });
    const channel = await makeSimulatorChannel({ teamId: team._id });
    const ana = await makeUser({ name: 'Ana', teamIds: [team._id] });
    const ben = await makeUser({ name: 'Ben', teamIds: [team._id] });
    const offline = await makeUser({ name: 'Off', teamIds: [team._id] });
    const full = await makeUser({ name: 'Full', teamIds: [team._id], capacity: 1 });
    await makeTicket({ teamId: team._id, assigneeId: full._id, status: 'open' });
    const online = onlineAgents(parley().redis.client, parley().config.QUEUE_PREFIX);
    for (const agent of [ana, ben, full]) await online.connected(agent._id.toHexString(), `socket-${agent.name}`);

    const assignees: Array<string | null> = [];
    for (let index = 0; index < 4; index++) assignees.push(await assigneeOf(await newTicketIn(channel)));
    const names = assignees.map((id) => [ana, ben].find((agent) => agent._id.toHexString() === id)?.name ?? id);
    expect(names.slice(0, 2).sort()).toEqual(['Ana', 'Ben']);
    expect(names.slice(2).sort()).toEqual(['Ana', 'Ben']);
    expect(names).not.toContain(offline._id.toHexString());

    const assignedTicket = await Ticket.findOne({ assigneeId: ana._id }).lean();
    expect(await AuditEvent.findOne({ ticketId: assignedTicket?._id, action: 'ticket.auto_assigned' }).lean()).toMatchObject({ actorId: null });
  });

  it('leaves the ticket in the queue when nobody is free, or the team does not auto-assign', async () => {
    const busyTeam = await makeTeam();
    await Team.updateOne({ _id: busyTeam._id }, { $set: { autoAssign: true } });
    await makeUser({ teamIds: [busyTeam._id] }); // never online
    expect(await assigneeOf(await newTicketIn(await makeSimulatorChannel({ teamId: busyTeam._id })), false)).toBeNull();

    const manualTeam = await makeTeam();
    const agent = await makeUser({ teamIds: [manualTeam._id] });
    await onlineAgents(parley().redis.client, parley().config.QUEUE_PREFIX).connected(agent._id.toHexString(), 'socket-manual');
    expect(await assigneeOf(await newTicketIn(await makeSimulatorChannel({ teamId: manualTeam._id })), false)).toBeNull();
  });
});
