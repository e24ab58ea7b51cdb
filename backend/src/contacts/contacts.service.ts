import { Types } from 'mongoose';
import type { Author, ConnectorKind, ContactIdentity } from '@parley/common';
import { isDuplicateKeyError } from '../db/errors';
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
async function ensureContact(contactId: Types.ObjectId, identity: ContactIdentity, author: Author): Promise<ContactDoc | null> {
  const existing = await Contact.findById(contactId).lean<ContactDoc>();
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

/**
 * The contact an author is, created on first sight. Safe under concurrency and replay:
 * the identity key (a unique _id) decides the contact, and the contact is inserted with
 * that id, so a crash between the two writes is mended by the next message from that person.
 */
export async function resolveContact(kind: ConnectorKind, author: Author): Promise<Types.ObjectId> {
  const identity = identityOf(kind, author);
  const { contactId } = await claimIdentity(identityKey(kind, author.externalId));
  const contact = await ensureContact(contactId, identity, author);
  if (!contact) return contactId;

  // Keep reach and handle current: followers and verification change over time.
  const fresh = withoutUndefined(identity);
  const stored = contact.identities.find((entry) => entry.kind === kind && entry.externalId === author.externalId);
  if (!stored) {
    await Contact.updateOne({ _id: contactId }, { $push: { identities: identity } });
  } else if (Object.entries(fresh).some(([field, value]) => stored[field as keyof ContactIdentity] !== value)) {
    const identities = contact.identities.map((entry) => (entry === stored ? { ...stored, ...fresh } : entry));
    await Contact.updateOne({ _id: contactId }, { $set: { identities } });
  }
  return contact.mergedInto ?? contactId;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
