import type { Attachment } from '@parley/common';

/**
 * X's text fidelity rules, in one place for tweets (v1.1 and v2) and direct messages.
 *
 * X escapes exactly three characters in the text it returns: `&` as `&amp;`, `<` as `&lt;`
 * and `>` as `&gt;` (quotes and other characters come through as they are). Entity indices
 * count Unicode code points of the text as displayed, that is after unescaping.
 */

const X_ESCAPES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** The text as the person wrote it: X's three escapes undone in one pass ("&amp;lt;" stays "&lt;"). */
export function unescapeXText(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (escape) => X_ESCAPES[escape] ?? escape);
}

/** A link entity: the t.co URL and, where X gives them, its [start, end) code point indices. */
export interface LinkEntity {
  url?: string | undefined;
  indices?: readonly [number, number] | undefined;
}

function cut(before: string, after: string): string {
  return after.trim() === '' ? before.trimEnd() : `${before.trimEnd()}${after}`;
}

/**
 * The text without the t.co link X adds for attached media (and the space before it): the
 * media itself is kept as an attachment, so the link only repeats it. The cut is made at the
 * entity's indices when the text there really is that link; otherwise the exact link is
 * removed from the end; a link found in neither place is left, never guessed at.
 */
export function withoutMediaLink(text: string, link: LinkEntity | undefined): string {
  const url = link?.url;
  if (!url) return text;
  const points = Array.from(text);
  if (link.indices) {
    const [start, end] = link.indices;
    if (start < end && points.slice(start, end).join('') === url) return cut(points.slice(0, start).join(''), points.slice(end).join(''));
  }
  const trimmed = text.trimEnd();
  return trimmed.endsWith(url) ? cut(trimmed.slice(0, trimmed.length - url.length), '') : text;
}

const IMAGE_TYPES: Readonly<Record<string, string>> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' };

/** The content type of an image URL on X's media hosts, from its extension (X names them so). */
function imageTypeOf(url: string): string | undefined {
  const extension = /\.([a-z0-9]+)(?:$|[?#])/i.exec(url)?.[1]?.toLowerCase();
  return extension ? IMAGE_TYPES[extension] : undefined;
}

export interface XMedia {
  type: string;
  /** The picture itself (a photo) or the still of a video. */
  imageUrl?: string | undefined;
  /** Video renditions as X lists them (v1.1 video_info.variants, v2 variants). */
  variants?: ReadonlyArray<{ url: string; content_type?: string | undefined; bitrate?: number | undefined; bit_rate?: number | undefined }> | undefined;
}

/**
 * One media item as an attachment: a photo as its image, a video or GIF as its best mp4
 * (the still when X lists no mp4). The URL is X's; the api proxies it, the browser never
 * loads it from X.
 */
export function xMediaAttachment(media: XMedia): Attachment {
  if (media.type === 'video' || media.type === 'animated_gif') {
    const mp4s = (media.variants ?? []).filter((variant) => variant.content_type === 'video/mp4');
    const best = mp4s.sort((a, b) => (b.bitrate ?? b.bit_rate ?? 0) - (a.bitrate ?? a.bit_rate ?? 0))[0];
    if (best) return { type: 'video', url: best.url, mimeType: 'video/mp4' };
    return { type: 'video', ...(media.imageUrl ? { url: media.imageUrl } : {}) };
  }
  if (media.type === 'photo') {
    const mimeType = media.imageUrl ? imageTypeOf(media.imageUrl) : undefined;
    return { type: 'image', ...(media.imageUrl ? { url: media.imageUrl } : {}), ...(mimeType ? { mimeType } : {}) };
  }
  return { type: 'other', ...(media.imageUrl ? { url: media.imageUrl } : {}) };
}
