import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { ApiResponseError, TwitterApi, TwitterApiV2Settings } from 'twitter-api-v2';
// The library's own OAuth 1.0a signer (what it signs API calls with), for requests it does not make itself.
import { OAuth1Helper } from 'twitter-api-v2/dist/cjs/client-mixins/oauth1.helper';
import type { ChannelContext } from '../connector';
import { PermanentFailure, RateLimited, ReauthRequired, TransientFailure, type DeliveryError } from '../connector';
import { xProblemSchema } from './x.payloads';

export const X_API_BASE_URL = 'https://api.x.com';
/** How long one call to X may take before it counts as a transient failure. */
const REQUEST_TIMEOUT_MS = 15_000;

TwitterApiV2Settings.deprecationWarnings = false;

// One keep-alive agent per protocol; twitter-api-v2 speaks plain HTTP when given an http agent.
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/** A v2 API client for one channel: the channel's base URL, its OAuth 1.0a or OAuth 2 user context. */
export interface XApi {
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  post<T>(path: string, body: Record<string, unknown>): Promise<T>;
}

/** The channel's X API base URL (settings.apiBaseUrl, else X's own). */
export function apiBaseOf(channel: ChannelContext): string {
  return (typeof channel.settings.apiBaseUrl === 'string' && channel.settings.apiBaseUrl ? channel.settings.apiBaseUrl : X_API_BASE_URL).replace(/\/+$/, '');
}

function clientFor(channel: ChannelContext): TwitterApi {
  const base = apiBaseOf(channel);
  const httpAgent = base.startsWith('http:') ? agents.http : agents.https;
  const { consumerKey, consumerSecret, accessToken, accessTokenSecret, oauth2UserToken } = channel.credentials;
  if (consumerKey && consumerSecret && accessToken && accessTokenSecret) {
    return new TwitterApi({ appKey: consumerKey, appSecret: consumerSecret, accessToken, accessSecret: accessTokenSecret }, { httpAgent });
  }
  if (oauth2UserToken) return new TwitterApi(oauth2UserToken, { httpAgent });
  throw new ReauthRequired('The X channel has no usable credentials: give it OAuth 1.0a keys and tokens or an OAuth 2 user token');
}

/**
 * The Authorization header of a request the client does not make itself (DM media on
 * ton.twitter.com): signed with the channel's OAuth 1.0a user context, or its OAuth 2 token.
 */
export function xAuthorization(channel: ChannelContext, method: string, url: string): string {
  const { consumerKey, consumerSecret, accessToken, accessTokenSecret, oauth2UserToken } = channel.credentials;
  if (consumerKey && consumerSecret && accessToken && accessTokenSecret) {
    const signer = new OAuth1Helper({ consumerKeys: { key: consumerKey, secret: consumerSecret } });
    return signer.toHeader(signer.authorize({ url, method }, { key: accessToken, secret: accessTokenSecret })).Authorization;
  }
  if (oauth2UserToken) return `Bearer ${oauth2UserToken}`;
  throw new ReauthRequired('The X channel has no usable credentials: give it OAuth 1.0a keys and tokens or an OAuth 2 user token');
}

export function xApi(channel: ChannelContext): XApi {
  const prefix = `${apiBaseOf(channel)}/2/`;
  const client = clientFor(channel);
  const clean = (query: Record<string, string | number | undefined> = {}) =>
    Object.fromEntries(Object.entries(query).filter((entry): entry is [string, string | number] => entry[1] !== undefined));
  return {
    get: <T>(path: string, query?: Record<string, string | number | undefined>) =>
      client.v2.get<T>(path, clean(query), { prefix, timeout: REQUEST_TIMEOUT_MS }),
    post: <T>(path: string, body: Record<string, unknown>) => client.v2.post<T>(path, body, { prefix, timeout: REQUEST_TIMEOUT_MS }),
  };
}

/** X's own words for why it refused a request, from its problem JSON or `errors`. */
export function xReason(error: ApiResponseError): string {
  const problem = xProblemSchema.safeParse(error.data);
  if (!problem.success) return `HTTP ${error.code}`;
  const { detail, title, reason, errors } = problem.data;
  const fromErrors = errors?.map((item) => item.detail ?? item.message).filter(Boolean).join('; ');
  return detail ?? fromErrors ?? reason ?? title ?? `HTTP ${error.code}`;
}

/**
 * X's answer to a direct message for someone who does not accept one from the brand: 403,
 * "You cannot send messages to this user." (v1.1 code 349; 150 when they accept messages
 * only from accounts they follow), as its problem JSON or its errors. Null for any other answer.
 */
export function dmsClosedOf(error: unknown): PermanentFailure | null {
  if (!(error instanceof ApiResponseError) || error.code !== 403) return null;
  const problem = xProblemSchema.safeParse(error.data);
  const codes = problem.success ? (problem.data.errors ?? []).map((item) => item.code) : [];
  const reason = xReason(error);
  if (!codes.includes(349) && !codes.includes(150) && !/cannot send messages|not (?:permitted|allowed) to (?:send|message)|messages to (?:this|users)/i.test(reason)) return null;
  return new PermanentFailure(
    `This person does not accept direct messages from the brand's X account: they take messages only from accounts they follow, or they blocked it (X said: ${reason})`,
  );
}

/** When X lets us call again: x-rate-limit-reset (epoch seconds), else in 15 minutes (X's window). */
function resetOf(error: ApiResponseError): Date {
  const header = error.headers['x-rate-limit-reset'] ?? error.headers['x-user-limit-24hour-reset'];
  const seconds = Number(Array.isArray(header) ? header[0] : header) || error.rateLimit?.reset;
  return seconds ? new Date(seconds * 1000) : new Date(Date.now() + 15 * 60_000);
}

/**
 * What an answer (or no answer) from X means for a send: 429 waits for the reset, 5xx and
 * network trouble are retried, 401 needs a new token, other 4xx will never succeed.
 */
export function deliveryErrorOf(error: unknown, action: string): DeliveryError {
  if (error instanceof PermanentFailure || error instanceof RateLimited || error instanceof ReauthRequired || error instanceof TransientFailure) return error;
  if (!(error instanceof ApiResponseError)) {
    return new TransientFailure(`Could not reach X (${error instanceof Error ? error.message : String(error)}); it will be retried`);
  }
  const reason = xReason(error);
  if (error.code === 429) return new RateLimited(resetOf(error), `X rate limit reached (${reason}); retrying after the reset`);
  if (error.code >= 500 || error.code === 408) return new TransientFailure(`X had a temporary problem (${error.code}: ${reason}); it will be retried`);
  if (error.code === 401) return new ReauthRequired(`The X access token was revoked or expired: reconnect the X account (${reason})`);
  return new PermanentFailure(`X refused ${action}: ${reason}`);
}
