import { z } from 'zod';
import { PermanentFailure, RateLimited, ReauthRequired, TransientFailure, type DeliveryError } from '../connector';
import { hmacSha256 } from '../signature';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com/v21.0';
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 15_000;

/** Graph's error body: {"error":{"message","type","code","error_subcode","fbtrace_id"}}. */
const graphErrorBodySchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    is_transient: z.boolean().optional(),
    error_user_msg: z.string().optional(),
    fbtrace_id: z.string().optional(),
  }),
});
type GraphErrorBody = z.infer<typeof graphErrorBodySchema>['error'];

export interface GraphOptions {
  /** With the version: https://graph.facebook.com/v21.0 (per channel: settings.apiBaseUrl). */
  baseUrl: string;
  accessToken: string;
  /** Signs every call with appsecret_proof, as apps with "Require App Secret" must. */
  appSecret?: string;
  timeoutMs?: number;
}

type Query = Record<string, string | number | undefined>;

/** Minutes until Meta lets us call again, from its usage headers (the largest figure given). */
function regainAccessMinutes(headers: Headers): number | undefined {
  const minutes: number[] = [];
  const collect = (value: unknown) => {
    if (!value || typeof value !== 'object') return;
    const usage = value as Record<string, unknown>;
    if (typeof usage.estimated_time_to_regain_access === 'number') minutes.push(usage.estimated_time_to_regain_access);
    // X-Ad-Account-Usage names its wait in seconds.
    if (typeof usage.reset_time_duration === 'number') minutes.push(usage.reset_time_duration / 60);
  };
  const parse = (name: string): unknown => {
    const raw = headers.get(name);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  };
  // {"<business id>": [{"type":"messenger","call_count":…,"estimated_time_to_regain_access":15}]}
  const businessUseCase = parse('x-business-use-case-usage');
  if (businessUseCase && typeof businessUseCase === 'object') {
    for (const entries of Object.values(businessUseCase as Record<string, unknown>)) {
      if (Array.isArray(entries)) entries.forEach(collect);
    }
  }
  for (const name of ['x-app-usage', 'x-page-usage', 'x-ad-account-usage']) collect(parse(name));
  const positive = minutes.filter((value) => value > 0);
  return positive.length > 0 ? Math.max(...positive) : undefined;
}

function retryAtOf(headers: Headers, now = Date.now()): Date {
  const minutes = regainAccessMinutes(headers);
  if (minutes !== undefined) return new Date(now + minutes * 60_000);
  const retryAfter = Number(headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return new Date(now + retryAfter * 1000);
  return new Date(now + DEFAULT_RATE_LIMIT_WAIT_MS);
}

const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const PERMISSION_CODES = new Set([3, 10]);

/** What a Graph error is, before it is put into words for whoever called. */
export interface GraphFailure {
  kind: 'reauth' | 'rate_limited' | 'window' | 'person_unavailable' | 'private_reply_used' | 'gone' | 'permission' | 'transient' | 'refused' | 'unexpected';
  status: number;
  /** Meta's own message, when it gave one. */
  metaMessage?: string;
  /** For rate_limited: when Meta lets us call again. */
  retryAt?: Date;
}

export function classifyGraphError(status: number, headers: Headers, body: unknown): GraphFailure {
  const parsed = graphErrorBodySchema.safeParse(body);
  const error: GraphErrorBody = parsed.success ? parsed.data.error : {};
  const code = error.code;
  const subcode = error.error_subcode;
  const failure = (kind: GraphFailure['kind']): GraphFailure => ({
    kind,
    status,
    ...(error.message ? { metaMessage: error.message } : {}),
    ...(kind === 'rate_limited' ? { retryAt: retryAtOf(headers) } : {}),
  });

  if (code === 190 || code === 102 || subcode === 463 || subcode === 467) return failure('reauth');
  if (status === 429 || (code !== undefined && (RATE_LIMIT_CODES.has(code) || (code >= 80001 && code <= 80014)))) return failure('rate_limited');
  if (subcode === 2018278 || subcode === 2018108 || code === 2018278 || code === 2018108) return failure('window');
  if (code === 551 || subcode === 1545041) return failure('person_unavailable');
  if (code === 10900) return failure('private_reply_used');
  if (code === 100 && subcode === 33) return failure('gone');
  if (code !== undefined && (PERMISSION_CODES.has(code) || (code >= 200 && code <= 299))) return failure('permission');
  if (status >= 500 || code === 1 || code === 2 || error.is_transient === true) return failure('transient');
  if (status >= 400) return failure('refused');
  return failure('unexpected');
}

/** Turns a Graph error answer into the DeliveryError its caller throws. */
export type GraphErrorMapper = (status: number, headers: Headers, body: unknown) => DeliveryError;

/** What a Graph error means for a send, in words an agent understands. */
export const deliveryErrorOf: GraphErrorMapper = (status, headers, body) => {
  const failure = classifyGraphError(status, headers, body);
  const said = failure.metaMessage ? ` (Meta said: ${failure.metaMessage})` : '';
  switch (failure.kind) {
    case 'reauth':
      return new ReauthRequired(`The access token expired or was revoked: reconnect the channel with a new token${said}`);
    case 'rate_limited':
      return new RateLimited(failure.retryAt ?? retryAtOf(headers), `Meta asked us to slow down; the message is sent again when it allows${said}`);
    case 'window':
      return new PermanentFailure(`The customer last wrote too long ago: Meta allows no reply outside its messaging window${said}`);
    case 'person_unavailable':
      return new PermanentFailure(`This person is not available on Messenger right now (they may have blocked the Page or left)${said}`);
    case 'private_reply_used':
      return new PermanentFailure(`This comment has already had a private reply; Meta allows one${said}`);
    case 'gone':
      return new PermanentFailure(`The post or comment no longer exists (deleted, hidden or not visible to the Page)${said}`);
    case 'permission':
      return new PermanentFailure(`The channel's token lacks the permission for this reply; an admin must grant it${said}`);
    case 'transient':
      return new TransientFailure(`Meta had a temporary problem (HTTP ${status}); the message is sent again shortly${said}`);
    case 'refused':
      return new PermanentFailure(`Meta refused the message${said || ` (HTTP ${status})`}`);
    case 'unexpected':
      return new TransientFailure(`Unexpected answer from Meta (HTTP ${status})`);
  }
};

export interface GraphRequestOptions {
  /** How this call's errors are put into words (a lookup is not a send); deliveryErrorOf by default. */
  errorOf?: GraphErrorMapper;
}

/** A thin client of the Graph API: HTTPS JSON, errors mapped to DeliveryError classes. */
export class GraphClient {
  private readonly baseUrl: string;

  constructor(private readonly options: GraphOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  get(path: string, query: Query = {}, options: GraphRequestOptions = {}): Promise<unknown> {
    return this.request('GET', path, query, undefined, options);
  }

  post(path: string, body: Record<string, unknown>, query: Query = {}, options: GraphRequestOptions = {}): Promise<unknown> {
    return this.request('POST', path, query, body, options);
  }

  private async request(method: 'GET' | 'POST', path: string, query: Query, body: Record<string, unknown> | undefined, options: GraphRequestOptions): Promise<unknown> {
    const url = new URL(`${this.baseUrl}/${path.replace(/^\/+/, '')}`);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
    if (this.options.appSecret) url.searchParams.set('appsecret_proof', hmacSha256(this.options.appSecret, this.options.accessToken, 'hex'));

    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.options.accessToken}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new TransientFailure(`Could not reach Meta's Graph API: ${cause}`);
    }

    let payload: unknown;
    try {
      const text = await response.text();
      payload = text ? (JSON.parse(text) as unknown) : {};
    } catch (error) {
      if (!response.ok) payload = undefined;
      else throw new TransientFailure(`Meta answered with a body that is not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!response.ok) throw (options.errorOf ?? deliveryErrorOf)(response.status, response.headers, payload);
    return payload;
  }
}
