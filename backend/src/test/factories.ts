import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Role, SimulatorEvent } from '@parley/common';
import { Channel, type ChannelDoc } from '../channels/channel.model';
import { encryptCredentials } from '../channels/credentials';
import { Contact, type ContactDoc } from '../contacts/contact.model';
import { Ticket, assigneeFields, priorityRank, type TicketDoc } from '../tickets/ticket.model';
import { hashPassword } from '../users/auth.service';
import { Team } from '../users/team.model';
import { User, type UserDoc } from '../users/user.model';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

const unique = () => randomBytes(4).toString('hex');

export async function makeTeam(name = `Team ${unique()}`) {
  return Team.create({ name });
}

export async function makeUser(fields: Partial<Pick<UserDoc, 'email' | 'name' | 'role' | 'teamIds' | 'active' | 'capacity'>> & { role?: Role } = {}): Promise<UserDoc> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const id = unique();
  const user = await User.create({
    email: `user-${id}@example.test`,
    name: `User ${id}`,
    role: 'agent',
    teamIds: [],
    passwordHash: await passwordHash,
    ...fields,
  });
  return user.toObject();
}

export const TEST_CREDENTIALS_KEY = Buffer.alloc(32, 42).toString('base64');

export async function makeSimulatorChannel(fields: { teamId?: Types.ObjectId; status?: 'active' | 'disabled'; secret?: string } = {}): Promise<ChannelDoc & { secret: string }> {
  const secret = fields.secret ?? `secret-${unique()}`;
  const channel = await Channel.create({
    kind: 'simulator',
    name: `Simulator ${unique()}`,
    externalAccountId: `brand-${unique()}`,
    status: fields.status ?? 'active',
    settings: {},
    teamId: fields.teamId,
    credentialsEncrypted: encryptCredentials({ secret }, TEST_CREDENTIALS_KEY),
  });
  return { ...channel.toObject<ChannelDoc>(), secret };
}

let simulatorSequence = 0;

/** A simulator event with only what a test cares about stated. */
export function makeSimulatorEvent(fields: Partial<SimulatorEvent> & { author?: Partial<SimulatorEvent['author']> } = {}): SimulatorEvent {
  simulatorSequence += 1;
  const id = fields.id ?? `sim-${unique()}-${simulatorSequence}`;
  return {
    kind: 'mention',
    text: `@acme where is my order? (${simulatorSequence})`,
    at: new Date(Date.UTC(2026, 10, 20, 9, 0, simulatorSequence)).toISOString(),
    ...fields,
    id,
    author: { id: 'customer-1', handle: 'kayjay', name: 'Kay Jay', followers: 120, verified: false, ...fields.author },
  };
}

export async function makeContact(fields: Partial<Pick<ContactDoc, 'name'>> & { externalId?: string; handle?: string } = {}): Promise<ContactDoc> {
  const id = unique();
  const contact = await Contact.create({
    name: fields.name ?? `Customer ${id}`,
    identities: [{ kind: 'simulator', externalId: fields.externalId ?? `customer-${id}`, handle: fields.handle ?? `handle_${id}` }],
    tags: [],
  });
  return contact.toObject<ContactDoc>();
}

/** A ticket stored directly, for tests about listing and changing tickets rather than ingest. */
export async function makeTicket(
  fields: Partial<Pick<TicketDoc, 'status' | 'priority' | 'teamId' | 'assigneeId' | 'tags' | 'subject' | 'lastMessageAt' | 'channelId' | 'contactId'>> = {},
): Promise<TicketDoc> {
  const priority = fields.priority ?? 'normal';
  // The next free number; ingest's allocator steps over numbers taken here.
  const number = ((await Ticket.findOne({}, { number: 1 }).sort({ number: -1 }).lean())?.number ?? 0) + 1;
  const ticket = await Ticket.create({
    number,
    subject: `Ticket ${number}`,
    status: 'open',
    channelKind: 'simulator',
    origin: 'public',
    channelId: fields.channelId ?? new (await import('mongoose')).Types.ObjectId(),
    contactId: fields.contactId ?? (await makeContact())._id,
    teamId: null,
    tags: [],
    lastMessageAt: new Date(),
    lastMessagePreview: '',
    ...fields,
    ...assigneeFields(fields.assigneeId ?? null),
    priority,
    priorityRank: priorityRank(priority),
  });
  return ticket.toObject<TicketDoc>();
}
