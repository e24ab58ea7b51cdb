import type { ConnectorKind } from '@parley/common';
import type { ContactDoc } from '../contacts/contact.model';
import { isWebUrl } from '../lib/web-url';

/**
 * The same-origin addresses under which the api serves platform media: what the presenters
 * hand the browser instead of a platform's URL, so the web app never loads anything from a
 * platform's CDN (no third-party images; X's DM media needs our credentials anyway).
 */

export const attachmentPath = (ticketId: string, messageId: string, index: number) => `/api/tickets/${ticketId}/messages/${messageId}/attachments/${index}`;

export const identityKeyOf = (identity: { kind: ConnectorKind; externalId: string }) => `${identity.kind}:${identity.externalId}`;

export const avatarPath = (contactId: string, identity?: { kind: ConnectorKind; externalId: string }) =>
  `/api/contacts/${contactId}/avatar${identity ? `?identity=${encodeURIComponent(identityKeyOf(identity))}` : ''}`;

/**
 * Where a contact's picture comes from: the named identity's, else the contact's own, else
 * the first identity that has one; with the platform it came from.
 */
export function avatarSourceOf(contact: ContactDoc, identityKey?: string): { url: string; kind: ConnectorKind } | null {
  if (identityKey !== undefined) {
    const identity = contact.identities.find((entry) => identityKeyOf(entry) === identityKey);
    return identity?.avatarUrl && isWebUrl(identity.avatarUrl) ? { url: identity.avatarUrl, kind: identity.kind } : null;
  }
  if (contact.avatarUrl && isWebUrl(contact.avatarUrl)) {
    const owner = contact.identities.find((entry) => entry.avatarUrl === contact.avatarUrl) ?? contact.identities[0];
    if (owner) return { url: contact.avatarUrl, kind: owner.kind };
  }
  const first = contact.identities.find((entry) => entry.avatarUrl && isWebUrl(entry.avatarUrl));
  return first?.avatarUrl ? { url: first.avatarUrl, kind: first.kind } : null;
}
