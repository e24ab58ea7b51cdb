import request from 'supertest';
import { contactDetailSchema, errorBodySchema } from '@parley/common';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeSimulatorChannel, makeTeam, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { ingest } from '../ingest/ingest.service';
import { Message } from '../tickets/message.model';
import { Ticket } from '../tickets/ticket.model';
import { ContactIdentityKey } from './contact.model';

const parley = useParley(['api'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));

async function auth(fields: Parameters<typeof makeUser>[0] = {}) {
  const user = await makeUser(fields);
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
    const outsider = contactDetailSchema.parse((await http().get(`/api/contacts/${ticket?.contactId.toHexString()}`).set(await auth({ teamIds: [] })).expect(200)).body);
    expect(outsider.tickets).toEqual([]);
    await http().get('/api/contacts/000000000000000000000000').set(await auth()).expect(404);
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
