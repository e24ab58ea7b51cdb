import type { Contact as ContactShape } from '@parley/common';
import { isWebUrl } from '../lib/web-url';
import { avatarPath, avatarSourceOf } from '../media/media.paths';
import type { ContactDoc } from './contact.model';

/** Pictures are served by our media proxy: the browser never loads one from a platform. */
export function presentContact(contact: ContactDoc): ContactShape {
  const id = contact._id.toHexString();
  return {
    id,
    name: contact.name,
    ...(avatarSourceOf(contact) ? { avatarUrl: avatarPath(id) } : {}),
    identities: contact.identities.map(({ avatarUrl, ...identity }) => ({
      ...identity,
      ...(avatarUrl && isWebUrl(avatarUrl) ? { avatarUrl: avatarPath(id, identity) } : {}),
    })),
    tags: contact.tags,
    createdAt: contact.createdAt.toISOString(),
    updatedAt: contact.updatedAt.toISOString(),
  };
}
