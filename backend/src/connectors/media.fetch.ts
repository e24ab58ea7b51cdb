import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Transform, pipeline } from 'node:stream';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { MediaUnavailable, type FetchedMedia } from './connector';

/** The largest attachment the media proxy passes on. */
export const MEDIA_MAX_BYTES = 25 * 1024 * 1024;
/** How long a platform may stay silent (connecting, or between chunks). */
const IDLE_TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * public: fetch only over public addresses (the URL came from a platform or a webhook
 * sender, so it must not reach our own network); trusted: an origin an admin configured
 * for the channel (a platform's base URL), reachable wherever it is; refused: never fetched.
 */
export type MediaUrlPolicy = 'public' | 'trusted' | 'refused';

export interface MediaRequest {
  policy(url: URL): MediaUrlPolicy;
  /** Request headers for one URL (signed per URL, so a redirect is signed anew). */
  headersFor?(url: URL): Record<string, string>;
  maxBytes?: number;
}

const agents = {
  public: { 'http:': new RequestFilteringHttpAgent({ keepAlive: true }), 'https:': new RequestFilteringHttpsAgent({ keepAlive: true }) },
  trusted: { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) },
};

function parse(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MediaUnavailable('The media address is not a URL', 'refused');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new MediaUnavailable('The media address is not an http(s) URL', 'refused');
  return parsed;
}

function get(url: URL, policy: 'public' | 'trusted', headers: Record<string, string>): Promise<IncomingMessage> {
  const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
  const send = protocol === 'https:' ? httpsRequest : httpRequest;
  const failed = (error: unknown) => new MediaUnavailable(`Could not fetch the media from ${url.host}: ${error instanceof Error ? error.message : String(error)}`, 'upstream');
  return new Promise((resolve, reject) => {
    try {
      // The filtering agent refuses a private address at once (a literal IP) or after the DNS lookup.
      const request = send(url, { method: 'GET', agent: agents[policy][protocol], headers: { accept: '*/*', ...headers } }, resolve);
      request.setTimeout(IDLE_TIMEOUT_MS, () => request.destroy(new Error(`no answer within ${IDLE_TIMEOUT_MS / 1000} s`)));
      request.on('error', (error) => reject(failed(error)));
      request.end();
    } catch (error) {
      reject(failed(error));
    }
  });
}

/** Passes the bytes on until there are more than the cap, then fails the stream. */
function capped(response: IncomingMessage, maxBytes: number): Transform {
  let seen = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new MediaUnavailable(`The media is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`, 'too_large'));
      else done(null, chunk);
    },
  });
  pipeline(response, guard, () => undefined);
  return guard;
}

/**
 * GETs media a platform hosts and hands back a stream of it: redirects followed (each hop
 * checked against the policy and signed anew), non-2xx answers and oversize bodies refused.
 */
export async function fetchMediaOver(url: string, request: MediaRequest): Promise<FetchedMedia> {
  const maxBytes = request.maxBytes ?? MEDIA_MAX_BYTES;
  let target = parse(url);
  for (let hop = 0; ; hop++) {
    const policy = request.policy(target);
    if (policy === 'refused') throw new MediaUnavailable(`Media is not fetched from ${target.host} for this channel`, 'refused');
    const response = await get(target, policy, request.headersFor?.(target) ?? {});
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (REDIRECTS.has(status) && location) {
      response.resume();
      if (hop >= MAX_REDIRECTS) throw new MediaUnavailable(`${target.host} redirected the media request too often`, 'upstream');
      target = parse(new URL(location, target).href);
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new MediaUnavailable(`${target.host} answered ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''} for the media`, 'upstream');
    }
    const declared = Number(response.headers['content-length']);
    const contentLength = Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
    if (contentLength !== undefined && contentLength > maxBytes) {
      response.destroy();
      throw new MediaUnavailable(`The media is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`, 'too_large');
    }
    return { contentType: response.headers['content-type'], contentLength, body: capped(response, maxBytes) };
  }
}

/** Media of a platform that needs nothing special: a plain GET, over public addresses only. */
export function fetchPublicMedia(url: string, maxBytes?: number): Promise<FetchedMedia> {
  return fetchMediaOver(url, { policy: () => 'public', ...(maxBytes ? { maxBytes } : {}) });
}
