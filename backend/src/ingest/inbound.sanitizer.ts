import type { Attachment, ConnectorKind, InboundEvent } from '@parley/common';
import { platformUrlsDropped } from '../metrics';

/**
 * Whether a URL a platform or webhook sender gave us may be kept: an absolute http: or
 * https: URL. Anything else (javascript:, data:, relative paths, garbage) is never stored,
 * so nothing downstream (the media proxy, the web app) ever has to ask again.
 */
export function isWebUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The one gate every connector's output passes before ingest: URLs that are not http(s) are
 * dropped (the message and its author are still stored, without them) and counted.
 */
export function sanitizeInboundEvent(event: InboundEvent, kind: ConnectorKind): InboundEvent {
  let author = event.author;
  if (author.avatarUrl !== undefined && !isWebUrl(author.avatarUrl)) {
    const { avatarUrl: _dropped, ...rest } = author;
    author = rest;
    platformUrlsDropped.inc({ kind, field: 'avatarUrl' });
  }
  const attachments = event.attachments.map((attachment): Attachment => {
    if (attachment.url === undefined || isWebUrl(attachment.url)) return attachment;
    const { url: _dropped, ...rest } = attachment;
    platformUrlsDropped.inc({ kind, field: 'attachments.url' });
    return rest;
  });
  return { ...event, author, attachments };
}
