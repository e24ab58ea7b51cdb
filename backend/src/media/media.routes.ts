import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { avatarQuerySchema, noQuerySchema } from '@parley/common';
import type { Config } from '../config';
import { currentUser, requireUser } from '../http/auth.middleware';
import { parseInput, parseQuery } from '../http/validate';
import type { Logger } from '../logger';
import { attachmentMedia, contactAvatar } from './media.service';

/** Types a browser may show in the page (and an <img>/<video>/<audio> may play); others download. */
const INLINE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'video/mp4',
  'video/webm',
  'video/ogg',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/ogg',
  'audio/wav',
  'audio/webm',
]);
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;
const ATTACHMENT_MAX_AGE_S = 24 * 60 * 60;
const AVATAR_MAX_AGE_S = 60 * 60;

// Ids are checked where they are looked up: an id that names nothing is a 404, as on every ticket route.
const attachmentParamsSchema = z.object({ id: z.string(), messageId: z.string(), index: z.string().regex(/^\d{1,4}$/, 'must be an attachment number').transform(Number) });
const avatarParamsSchema = z.object({ id: z.string() });

/** The bare media type ("image/png"), or a download type when it is missing or malformed. */
function mediaTypeOf(...candidates: Array<string | undefined>): string {
  for (const candidate of candidates) {
    const type = candidate?.split(';')[0]?.trim().toLowerCase();
    if (type && MEDIA_TYPE.test(type)) return type;
  }
  return 'application/octet-stream';
}

/**
 * Headers of every proxied file: the type as the platform sent it, never sniffed; shown in
 * the page only when it is a plain image, video or audio type; and a policy that keeps a
 * file opened on its own (an SVG, an HTML page) from running anything in our origin.
 */
function setMediaHeaders(res: Response, type: string, maxAgeSeconds: number, name: string | undefined): void {
  res.set({
    'Content-Type': type,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': `private, max-age=${maxAgeSeconds}`,
    'Content-Security-Policy': "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox",
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  if (!INLINE_TYPES.has(type)) {
    res.attachment(name ?? 'attachment');
    // res.attachment guesses a type from the name: keep the platform's.
    res.set('Content-Type', type);
  }
}

/**
 * The media proxy: attachments and avatars the platforms host, streamed to the agent from
 * our own origin, so nothing in the browser loads from a platform (CSP img-src 'self').
 */
export function mediaRoutes(config: Config, log: Logger): Router {
  const router = Router();

  router.get('/tickets/:id/messages/:messageId/attachments/:index', requireUser, async (req, res) => {
    parseQuery(noQuerySchema, req);
    const params = parseInput(attachmentParamsSchema, req.params);
    const { media, name, mimeType } = await attachmentMedia(currentUser(req), params.id, params.messageId, params.index, config.CREDENTIALS_KEY);
    setMediaHeaders(res, mediaTypeOf(media.contentType, mimeType), ATTACHMENT_MAX_AGE_S, name);
    if (media.contentLength !== undefined) res.set('Content-Length', String(media.contentLength));
    try {
      await pipeline(media.body, res);
    } catch (error) {
      // Headers are out: all that is left is to cut the transfer (over the cap, or the platform stopped).
      log.warn({ err: error, ticketId: params.id, messageId: params.messageId, index: params.index }, 'attachment transfer broken off');
      res.destroy();
    }
  });

  router.get('/contacts/:id/avatar', requireUser, async (req, res) => {
    const { identity } = parseQuery(avatarQuerySchema, req);
    const { id } = parseInput(avatarParamsSchema, req.params);
    const image = await contactAvatar(currentUser(req), id, identity, config.CREDENTIALS_KEY);
    setMediaHeaders(res, mediaTypeOf(image.contentType), AVATAR_MAX_AGE_S, 'avatar');
    res.send(image.bytes);
  });

  return router;
}
