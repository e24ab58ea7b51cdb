import type { Contact as ContactShape } from '@parley/common';
import type { ContactDoc } from './contact.model';

export function presentContact(contact: ContactDoc): ContactShape {
  return {
    id: contact._id.toHexString(),
    name: contact.name,
    ...(contact.avatarUrl ? { avatarUrl: contact.avatarUrl } : {}),
    identities: contact.identities.map((identity) => ({ ...identity })),
    tags: contact.tags,
    createdAt: contact.createdAt.toISOString(),
    updatedAt: contact.updatedAt.toISOString(),
  };
}
