import request from 'supertest';
import { contactDetailSchema, errorBodySchema } from '@parley/common';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeContact, makeSimulatorChannel, makeTeam, makeTicket, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { ingest } from '../ingest/ingest.service';
import { Message } from '../tickets/message.model';
import { Ticket } from '../tickets/ticket.model';
import { Contact, ContactIdentityKey } from './contact.model';

const parley = useParley(['api'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));

async function auth(fields: Parameters<typeof makeUser>[0] = {}) {
  return signIn(await makeUser(fields));
}

async function signIn(user: { email: string }) {
  const login = await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  return { authorization: `Bearer ${(login.body as { token: string }).token}` };
}

async function dm(channel: Awaited<ReturnType<typeof makeSimulatorChannel>>, authorId: string, text: string) {
  const result = await ingest(
    channel,
    { action: 'create', channelKind: 'simulator', externalId: `dm-${authorId}-${Date.now()}-${Math.random()}`, visibility: 'private', author: { externalId: authorId, displayName: authorId }, text, attachments: [], sentAt: new Date().toISOString(), tags: [] },
    null,
    parley().ingestDeps,
  );
  if (result.outcome !== 'stored') throw new Error('not stored');
  return result;
}

describe('contacts', () => {
  it('shows one person with identities and the tickets this user may see', async () => {
    const team = await makeTeam();
    const channel = await makeSimulatorChannel({ teamId: team._id });
    const stored = await dm(channel, `person-${Date.now()}`, 'hello');
    const ticket = await Ticket.findById(stored.ticketId).lean();

    const mine = contactDetailSchema.parse((await http().get(`/api/contacts/${ticket?.contactId.toHexString()}`).set(await auth({ teamIds: [team._id] })).expect(200)).body);
    expect(mine.tickets.map((entry) => entry.id)).toEqual([stored.ticketId.toHexString()]);
    // Someone none of whose tickets this agent may see does not exist for them.
    const outsider = await http().get(`/api/contacts/${ticket?.contactId.toHexString()}`).set(await auth({ teamIds: [] })).expect(404);
    const missing = await http().get('/api/contacts/000000000000000000000000').set(await auth()).expect(404);
    expect(outsider.body).toEqual(missing.body);
  });

  it('shows an agent a contact only through the tickets they may see, across teams', async () => {
    const care = await makeTeam();
    const billing = await makeTeam();
    const person = await makeContact();
    const careTicket = await makeTicket({ contactId: person._id, teamId: care._id });
    const billingTicket = await makeTicket({ contactId: person._id, teamId: billing._id });
    const assignee = await makeUser({ teamIds: [] });
    const assignedTicket = await makeTicket({ contactId: person._id, teamId: billing._id, assigneeId: assignee._id });
    const read = async (headers: Record<string, string>, status = 200) => http().get(`/api/contacts/${person._id.toHexString()}`).set(headers).expect(status);
    const ticketIds = (response: { body: unknown }) => contactDetailSchema.parse(response.body).tickets.map((entry) => entry.id).sort();
    const ids = (...tickets: { _id: { toHexString(): string } }[]) => tickets.map((entry) => entry._id.toHexString()).sort();

    expect(ticketIds(await read(await auth({ teamIds: [care._id] })))).toEqual(ids(careTicket));
    expect(ticketIds(await read(await auth({ teamIds: [billing._id] })))).toEqual(ids(billingTicket, assignedTicket));
    // A ticket assigned to an agent shows its contact, whatever its team.
    expect(ticketIds(await read(await signIn(assignee)))).toEqual(ids(assignedTicket));
    // Another team's customer: 404, as for a contact that does not exist.
    const elsewhere = await read(await auth({ teamIds: [(await makeTeam())._id] }), 404);
    expect(errorBodySchema.parse(elsewhere.body).error.code).toBe('not_found');
    // Supervisors and admins see every ticket of the person.
    expect(ticketIds(await read(await auth({ role: 'supervisor' })))).toEqual(ids(careTicket, billingTicket, assignedTicket));
    expect(ticketIds(await read(await auth({ role: 'admin' })))).toEqual(ids(careTicket, billingTicket, assignedTicket));
  });

  it('lets an agent merge only two contacts they both may see, and shows the result through their tickets', async () => {
    const care = await makeTeam();
    const billing = await makeTeam();
    const ours = await makeContact();
    const oursTicket = await makeTicket({ contactId: ours._id, teamId: care._id });
    const theirs = await makeContact();
    await makeTicket({ contactId: theirs._id, teamId: billing._id });
    const shared = await makeContact();
    const sharedCareTicket = await makeTicket({ contactId: shared._id, teamId: care._id });
    const sharedBillingTicket = await makeTicket({ contactId: shared._id, teamId: billing._id });
    const careAgent = await auth({ teamIds: [care._id] });
    const merge = (source: { _id: { toHexString(): string } }, target: { _id: { toHexString(): string } }, headers: Record<string, string>, status: number) =>
      http().post(`/api/contacts/${source._id.toHexString()}/merge`).set(headers).send({ intoContactId: target._id.toHexString() }).expect(status);

    // Another team's customer, on either side of the merge, is not there for this agent; nothing moves.
    const intoTheirs = await merge(ours, theirs, careAgent, 404);
    const fromTheirs = await merge(theirs, ours, careAgent, 404);
    const missing = await http().get('/api/contacts/000000000000000000000000').set(careAgent).expect(404);
    expect(intoTheirs.body).toEqual(missing.body);
    expect(fromTheirs.body).toEqual(missing.body);
    expect((await Contact.findById(ours._id).lean())?.mergedInto).toBeUndefined();
    expect((await Contact.findById(theirs._id).lean())?.mergedInto).toBeUndefined();
    expect(await Ticket.countDocuments({ contactId: theirs._id })).toBe(1);

    // Both visible: the merge goes through, and its answer lists only the tickets this agent may see.
    const merged = contactDetailSchema.parse((await merge(ours, shared, careAgent, 200)).body);
    expect(merged.id).toBe(shared._id.toHexString());
    expect(merged.tickets.map((entry) => entry.id).sort()).toEqual([oursTicket._id.toHexString(), sharedCareTicket._id.toHexString()].sort());
    expect(await Ticket.countDocuments({ contactId: shared._id })).toBe(3);
    // A supervisor merges across teams and sees everything.
    const bySupervisor = contactDetailSchema.parse((await merge(theirs, shared, await auth({ role: 'supervisor' }), 200)).body);
    expect(bySupervisor.tickets.map((entry) => entry.id)).toContain(sharedBillingTicket._id.toHexString());
    expect(bySupervisor.tickets).toHaveLength(4);
  });

  it('merges two contacts: identities, tickets and later messages follow the survivor', async () => {
    const team = await makeTeam();
    const channel = await makeSimulatorChannel({ teamId: team._id });
    const first = await dm(channel, `twin-a-${Date.now()}`, 'from account a');
    const second = await dm(channel, `twin-b-${Date.now()}`, 'from account b');
    const source = (await Ticket.findById(first.ticketId).lean())?.contactId;
    const target = (await Ticket.findById(second.ticketId).lean())?.contactId;
    const headers = await auth({ role: 'supervisor' });

    const merged = contactDetailSchema.parse(
      (await http().post(`/api/contacts/${source?.toHexString()}/merge`).set(headers).send({ intoContactId: target?.toHexString() }).expect(200)).body,
    );
    expect(merged.id).toBe(target?.toHexString());
    expect(merged.identities).toHaveLength(2);
    expect(merged.tickets).toHaveLength(2);
    expect(await Message.countDocuments({ contactId: source })).toBe(0);
    // The old contact forwards to the survivor; its identity now belongs to the survivor.
    const forwarded = contactDetailSchema.parse((await http().get(`/api/contacts/${source?.toHexString()}`).set(headers).expect(200)).body);
    expect(forwarded.id).toBe(target?.toHexString());
    const keys = await ContactIdentityKey.find({ contactId: target }).lean();
    expect(keys).toHaveLength(2);

    // A new DM from the merged identity joins the survivor's open private conversation.
    const later = await dm(channel, merged.identities.find((identity) => identity.externalId.startsWith('twin-a'))?.externalId ?? '', 'again from a');
    expect(later.ticketId.toHexString()).toBe(second.ticketId.toHexString());
    expect((await Message.findById(later.messageId).lean())?.contactId?.toHexString()).toBe(target?.toHexString());
  });

  it('lets a merged identity keep its open conversation when the survivor has none', async () => {
    const team = await makeTeam();
    const channel = await makeSimulatorChannel({ teamId: team._id });
    const other = await makeSimulatorChannel({ teamId: team._id });
    const first = await dm(channel, `keep-a-${Date.now()}`, 'open conversation');
    const survivorTicket = await dm(other, `keep-b-${Date.now()}`, 'on another channel');
    const source = (await Ticket.findById(first.ticketId).lean())?.contactId;
    const target = (await Ticket.findById(survivorTicket.ticketId).lean())?.contactId;
    await http().post(`/api/contacts/${source?.toHexString()}/merge`).set(await auth({ role: 'supervisor' })).send({ intoContactId: target?.toHexString() }).expect(200);

    const sourceIdentity = (await Message.findById(first.messageId).lean())?.contactId;
    expect(sourceIdentity?.toHexString()).toBe(target?.toHexString());
    const later = await dm(channel, (await ContactIdentityKey.find({ contactId: target }).lean()).map((key) => key._id.split(':')[1] ?? '').find((id) => id.startsWith('keep-a')) ?? '', 'still me');
    expect(later.ticketId.toHexString()).toBe(first.ticketId.toHexString());
  });

  it('refuses to merge a contact into itself, naming the field', async () => {
    const channel = await makeSimulatorChannel();
    const stored = await dm(channel, `solo-${Date.now()}`, 'hi');
    const contactId = (await Ticket.findById(stored.ticketId).lean())?.contactId.toHexString();
    const response = await http().post(`/api/contacts/${contactId}/merge`).set(await auth({ role: 'supervisor' })).send({ intoContactId: contactId }).expect(400);
    expect(errorBodySchema.parse(response.body).error.field).toBe('intoContactId');
  });
});
