import { Types } from 'mongoose';
import type { Author, ConnectorKind, ContactIdentity } from '@parley/common';
import { isDuplicateKeyError } from '../db/errors';
import { Invalid, NotFound } from '../http/errors';
import type { Locks } from '../lib/locks';
import { Message } from '../tickets/message.model';
import { contactTicketsVisibleTo } from '../tickets/ticket.access';
import { Ticket, TicketThread, ticketLock, type TicketDoc } from '../tickets/ticket.model';
import type { UserDoc } from '../users/user.model';
import { Contact, ContactIdentityKey, type ContactDoc } from './contact.model';

export const identityKey = (kind: ConnectorKind, externalId: string) => `${kind}:${externalId}`;

function identityOf(kind: ConnectorKind, author: Author): ContactIdentity {
  return {
    kind,
    externalId: author.externalId,
    handle: author.handle,
    displayName: author.displayName,
    followers: author.followers,
    verified: author.verified,
    avatarUrl: author.avatarUrl,
  };
}

/** Claims the identity for a new contact, or answers the contact that already owns it. */
async function claimIdentity(key: string): Promise<{ contactId: Types.ObjectId; created: boolean }> {
  const existing = await ContactIdentityKey.findById(key).lean();
  if (existing) return { contactId: existing.contactId, created: false };
  const contactId = new Types.ObjectId();
  try {
    await ContactIdentityKey.create({ _id: key, contactId });
    return { contactId, created: true };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await ContactIdentityKey.findById(key).lean();
    if (!winner) throw error;
    return { contactId: winner.contactId, created: false };
  }
}

/** Inserts the contact the identity key names, unless it is there already. */
async function ensureContact(contactId: Types.ObjectId, identity: ContactIdentity, author: Author, claimedNow: boolean): Promise<ContactDoc | null> {
  // A key claimed just now has no contact yet: the key is always written first.
  const existing = claimedNow ? null : await Contact.findById(contactId).lean<ContactDoc>();
  if (existing) return existing;
  try {
    const name = author.displayName || author.handle || author.externalId;
    await Contact.create({ _id: contactId, name, avatarUrl: author.avatarUrl, identities: [identity], tags: [] });
    return null;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return Contact.findById(contactId).lean<ContactDoc>();
  }
}

/** The contact an author is, with what triage needs to know of them. */
export interface ResolvedContact {
  contactId: Types.ObjectId;
  identities: ContactIdentity[];
  tags: string[];
}

/**
 * The contact an author is, created on first sight. Safe under concurrency and replay:
 * the identity key (a unique _id) decides the contact, and the contact is inserted with
 * that id, so a crash between the two writes is mended by the next message from that person.
 */
export async function resolveContact(kind: ConnectorKind, author: Author): Promise<ResolvedContact> {
  const identity = identityOf(kind, author);
  const { contactId, created } = await claimIdentity(identityKey(kind, author.externalId));
  const contact = await ensureContact(contactId, identity, author, created);
  if (!contact) return { contactId, identities: [identity], tags: [] };

  // Keep reach and handle current: followers and verification change over time.
  const fresh = withoutUndefined(identity);
  const stored = contact.identities.find((entry) => entry.kind === kind && entry.externalId === author.externalId);
  let identities = contact.identities;
  if (!stored) {
    identities = [...contact.identities, identity];
    await Contact.updateOne({ _id: contactId }, { $push: { identities: identity } });
  } else if (Object.entries(fresh).some(([field, value]) => stored[field as keyof ContactIdentity] !== value)) {
    identities = contact.identities.map((entry) => (entry === stored ? { ...stored, ...fresh } : entry));
    await Contact.updateOne({ _id: contactId }, { $set: { identities } });
  }
  return { contactId: contact.mergedInto ?? contactId, identities, tags: contact.tags };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/**
 * Another platform id of a contact on a channel kind, learnt from the platform (the Messenger
 * id a private reply reached): their messages from it are theirs. An id that already belongs
 * to someone else is left to them.
 */
export async function addIdentity(contactId: Types.ObjectId, kind: ConnectorKind, externalId: string): Promise<void> {
  try {
    await ContactIdentityKey.create({ _id: identityKey(kind, externalId), contactId });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return;
  }
  const contact = await Contact.findById(contactId, { identities: 1 }).lean<Pick<ContactDoc, 'identities'>>();
  if (contact && !contact.identities.some((identity) => identity.kind === kind && identity.externalId === externalId)) {
    await Contact.updateOne({ _id: contactId }, { $push: { identities: { kind, externalId } } });
  }
}

/** A contact by id (404 when unknown); a merged contact answers as the one it was merged into. */
export async function findContact(id: string): Promise<ContactDoc> {
  const contact = /^[a-f0-9]{24}$/.test(id) ? await Contact.findById(id).lean<ContactDoc>() : null;
  if (!contact) throw new NotFound('Contact');
  return contact.mergedInto ? findContact(contact.mergedInto.toHexString()) : contact;
}

/**
 * A person exists for an agent only through a ticket the agent may see; supervisors and
 * admins see everyone. Another team's customer answers 404, as a contact that does not
 * exist, where ticketFor answers 403 for another team's ticket: a ticket is a piece of work
 * whose number travels between colleagues ("ask billing about #1234"), so saying it is
 * another team's helps; a contact id is a customer, and telling an agent that someone they
 * have no conversation with is known to the brand (and to which team) would only disclose
 * who the other teams' customers are. Someone else's personal saved view is a 404 likewise.
 */
async function contactFor(user: UserDoc, contactId: string): Promise<ContactDoc> {
  const contact = await findContact(contactId);
  if (user.role === 'agent' && !(await Ticket.exists(contactTicketsVisibleTo(user, contact._id)))) throw new NotFound('Contact');
  return contact;
}

/** One person with every identity and the tickets this user may see, newest first; 404 when they may see none. */
export async function contactWithTickets(user: UserDoc, contactId: string): Promise<{ contact: ContactDoc; tickets: TicketDoc[] }> {
  const contact = await findContact(contactId);
  const tickets = await Ticket.find(contactTicketsVisibleTo(user, contact._id))
    .sort({ lastMessageAt: -1 })
    .limit(100)
    .lean<TicketDoc[]>();
  // The tickets an agent may see decide whether the person is there for them (contactFor).
  if (user.role === 'agent' && tickets.length === 0) throw new NotFound('Contact');
  return { contact, tickets };
}

/**
 * Merges one contact into another: identities, tickets and messages move to the
 * survivor, the identity keys point at it, and the merged contact forwards to it.
 * The answer is the survivor as this user sees it: only the tickets they may see.
 */
export async function mergeContacts(user: UserDoc, sourceId: string, targetId: string, locks: Locks) {
  // Both sides must be visible: merging is seeing both people and changing them both.
  const source = await contactFor(user, sourceId);
  const target = await contactFor(user, targetId);
  if (source._id.equals(target._id)) throw new Invalid('a contact cannot be merged into itself', 'intoContactId');

  const known = new Set(target.identities.map((identity) => identityKey(identity.kind, identity.externalId)));
  const identities = [...target.identities, ...source.identities.filter((identity) => !known.has(identityKey(identity.kind, identity.externalId)))];
  await Contact.updateOne({ _id: target._id }, { $set: { identities, tags: [...new Set([...target.tags, ...source.tags])] } });
  for (const identity of source.identities) {
    await ContactIdentityKey.updateOne({ _id: identityKey(identity.kind, identity.externalId) }, { $set: { contactId: target._id } });
  }
  // A private conversation continues where it was: the survivor takes over open DM threads.
  const dmKeys = await TicketThread.find({ _id: { $regex: `:dm:${source._id.toHexString()}$` } }).lean();
  for (const key of dmKeys) {
    const survivorKey = key._id.replace(source._id.toHexString(), target._id.toHexString());
    await TicketThread.updateOne({ _id: survivorKey }, { $setOnInsert: { ticketId: key.ticketId } }, { upsert: true }).catch((error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
  }
  for (const ticket of await Ticket.find({ contactId: source._id }, { _id: 1 }).lean()) {
    await locks.withLock(ticketLock(ticket._id), () => Ticket.updateOne({ _id: ticket._id }, { $set: { contactId: target._id } }));
  }
  await Message.updateMany({ contactId: source._id }, { $set: { contactId: target._id } });
  await Contact.updateOne({ _id: source._id }, { $set: { mergedInto: target._id } });
  return contactWithTickets(user, target._id.toHexString());
}
