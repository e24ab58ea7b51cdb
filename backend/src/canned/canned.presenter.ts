import type { CannedResponse as CannedResponseShape } from '@parley/common';
import type { CannedResponseDoc } from './canned.model';

export function presentCannedResponse(doc: CannedResponseDoc): CannedResponseShape {
  return {
    id: doc._id.toHexString(),
    shortcut: doc.shortcut,
    title: doc.title,
    text: doc.text,
    translations: (doc.translations ?? []).map(({ language, text }) => ({ language, text })),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}
