import type { Attachment, ConnectorKind, InboundEvent } from '@parley/common';
import { isWebUrl } from '../lib/web-url';
import { platformUrlsDropped } from '../metrics';

/**
 * The one gate every connector's output passes before ingest: URLs that are not http(s) are
 * dropped (the message and its author are still stored, without them) and counted, so
 * nothing downstream (the media proxy, the web app) ever sees one.
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
