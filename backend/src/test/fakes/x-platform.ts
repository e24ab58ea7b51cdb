import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the X API v2, answering the endpoints Parley's X connector calls as
 * X documents them: ids, `{data, includes, meta}` pages with since_id and pagination,
 * problem-JSON error bodies ({title, detail, type, status}) and the x-rate-limit-* headers
 * on every answer. It records every request and can be told to fail the next requests.
 */

export interface RecordedXRequest {
  method: string;
  /** The path after /2, e.g. "/tweets". */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export type XFailure =
  /** 429 with x-rate-limit-remaining 0 and the reset. */
  | 'rate_limit'
  /** 503 Service Unavailable. */
  | 'unavailable'
  /** 401: the token was revoked. */
  | 'unauthorized'
  /** 403: not permitted (e.g. the user blocked the account). */
  | 'forbidden'
  /** The request is carried out, then the connection is dropped before any answer. */
  | 'drop';

/** A request carried out by the fake whose answer waits until the test releases it. */
export interface HeldAnswer {
  /** Resolves once the request was carried out (the tweet or DM exists on "X"); its answer is still held. */
  carriedOut: Promise<RecordedXRequest>;
  /** Sends the held answer. */
  release(): void;
}

export interface FakeXUser {
  id: string;
  name: string;
  username: string;
  verified?: boolean;
  followers?: number;
}

export interface FakeTweet {
  id: string;
  text: string;
  author_id: string;
  conversation_id: string;
  created_at: string;
  in_reply_to_user_id?: string;
  referenced_tweets?: Array<{ type: string; id: string }>;
  note_tweet?: { text: string };
}

export interface FakeDmEvent {
  id: string;
  event_type: 'MessageCreate';
  text: string;
  sender_id: string;
  dm_conversation_id: string;
  created_at: string;
}

export interface FakeXOptions {
  brand: FakeXUser;
  /** OAuth 1.0a: the access token requests must be signed with (its oauth_token). */
  accessToken?: string;
  /** OAuth 2: the bearer token requests must carry. */
  bearerToken?: string;
  /** Page size when the client asks for more (to exercise pagination). */
  pageSize?: number;
  /**
   * OAuth 1.0a keys: media requests must carry a valid HMAC-SHA1 signature under them
   * (RFC 5849, as X checks it on ton.twitter.com); otherwise any Authorization will do.
   */
  oauth1?: { consumerKey: string; consumerSecret: string; accessToken: string; accessTokenSecret: string };
}

/** A file on X's media hosts (a DM photo on ton.twitter.com, a profile image on pbs.twimg.com). */
export interface FakeMedia {
  contentType: string;
  body: Buffer;
  /** Send without Content-Length (chunked). */
  chunked?: boolean;
}

/** RFC 3986 percent-encoding, as OAuth 1.0a wants it. */
const oauthEncode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

/** The parameters of an `Authorization: OAuth k="v", …` header, decoded. */
function oauthParams(header: string): Map<string, string> | null {
  if (!header.startsWith('OAuth ')) return null;
  const params = new Map<string, string>();
  for (const match of header.slice('OAuth '.length).matchAll(/([a-z_]+)="([^"]*)"/g)) params.set(match[1]!, decodeURIComponent(match[2]!));
  return params;
}

const RATE_WINDOW_S = 15 * 60;

const problem = (status: number, title: string, detail: string, type = 'about:blank') => ({ title, detail, type, status });

export class FakeXPlatform {
  readonly requests: RecordedXRequest[] = [];
  /** Tweets X knows, by id (mentions, the brand's posts, search results). */
  readonly tweets = new Map<string, FakeTweet>();
  readonly users = new Map<string, FakeXUser>();
  /** Direct message events by the other participant's id, oldest first. */
  readonly dms = new Map<string, FakeDmEvent[]>();
  /** Media files by path (e.g. "/1.1/ton/data/dm/1/2/receipt.png"). */
  readonly media = new Map<string, FakeMedia>();
  /** Tweets that were deleted (replying to them is refused). */
  readonly deleted = new Set<string>();
  /** Users whose DMs are closed to the brand. */
  readonly dmsClosed = new Set<string>();
  /** Ids of tweets that only the recent search finds (not mentions of the brand). */
  private readonly searchOnly = new Set<string>();
  /** The x-rate-limit-reset (epoch seconds) of the last answer. */
  lastRateLimitReset = 0;
  private failures: XFailure[] = [];
  private holds: Array<{ carriedOut: (request: RecordedXRequest) => void; released: Promise<void> }> = [];
  private server: Server | undefined;
  private sequence = 0n;
  baseUrl = '';

  constructor(readonly options: FakeXOptions) {
    this.users.set(options.brand.id, options.brand);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next requests fail, in order, each in the way named. */
  failNext(...failures: XFailure[]): void {
    this.failures.push(...failures);
  }

  /**
   * The next request is carried out at once, but its answer waits until release(): X has
   * the post while Parley is still waiting to hear so (and its webhook may come first).
   */
  holdNext(): HeldAnswer {
    let carriedOut!: (request: RecordedXRequest) => void;
    let release!: () => void;
    const arrived = new Promise<RecordedXRequest>((resolve) => (carriedOut = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ carriedOut, released });
    return { carriedOut: arrived, release };
  }

  /** A new snowflake-like id, increasing. */
  nextId(): string {
    this.sequence += 1n;
    return (1_900_000_000_000_000_000n + this.sequence).toString();
  }

  /** Serves a media file at this path; answers its URL on this server. */
  addMedia(path: string, media: FakeMedia): string {
    this.media.set(path, media);
    return `${this.baseUrl}${path}`;
  }

  /** Whether a media request is signed with the channel's OAuth 1.0a user context (RFC 5849 section 3.4.1). */
  private signedForMedia(req: IncomingMessage, url: URL): boolean {
    const keys = this.options.oauth1;
    const header = req.headers.authorization ?? '';
    if (!keys) return header !== '';
    const params = oauthParams(header);
    const signature = params?.get('oauth_signature');
    if (!params || !signature || params.get('oauth_signature_method') !== 'HMAC-SHA1') return false;
    if (params.get('oauth_consumer_key') !== keys.consumerKey || params.get('oauth_token') !== keys.accessToken) return false;
    const pairs = [...[...params].filter(([name]) => name !== 'oauth_signature' && name !== 'realm'), ...url.searchParams]
      .map(([name, value]) => [oauthEncode(name), oauthEncode(value)] as const)
      .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1));
    const base = [req.method ?? 'GET', oauthEncode(`http://${req.headers.host ?? ''}${url.pathname}`), oauthEncode(pairs.map(([name, value]) => `${name}=${value}`).join('&'))].join('&');
    const expected = createHmac('sha1', `${oauthEncode(keys.consumerSecret)}&${oauthEncode(keys.accessTokenSecret)}`).update(base).digest();
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sendMedia(req: IncomingMessage, res: ServerResponse, url: URL, media: FakeMedia): void {
    if (!this.signedForMedia(req, url)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 32, message: 'Could not authenticate you.' }] }));
      return;
    }
    res.on('error', () => undefined);
    res.writeHead(200, { 'content-type': media.contentType, ...(media.chunked ? {} : { 'content-length': String(media.body.length) }) });
    res.end(media.body);
  }

  addUser(user: FakeXUser): void {
    this.users.set(user.id, user);
  }

  /** A customer's post mentioning the brand (or, with search: true, one only the listening search finds). */
  addMention(author: FakeXUser, text: string, fields: Partial<FakeTweet> & { search?: boolean } = {}): FakeTweet {
    this.addUser(author);
    const { search, ...rest } = fields;
    const id = rest.id ?? this.nextId();
    const tweet: FakeTweet = { id, text, author_id: author.id, conversation_id: id, created_at: new Date().toISOString(), ...rest };
    this.tweets.set(id, tweet);
    if (search) this.searchOnly.add(id);
    return tweet;
  }

  addDm(from: FakeXUser, text: string): FakeDmEvent {
    this.addUser(from);
    return this.storeDm(from.id, from.id, text);
  }

  /** The brand's tweets posted through the API, oldest first. */
  posted(): FakeTweet[] {
    return [...this.tweets.values()].filter((tweet) => tweet.author_id === this.options.brand.id);
  }

  /** The brand's DMs to a user sent through the API, oldest first. */
  sentDms(userId: string): FakeDmEvent[] {
    return (this.dms.get(userId) ?? []).filter((event) => event.sender_id === this.options.brand.id);
  }

  private storeDm(participantId: string, senderId: string, text: string): FakeDmEvent {
    const brand = this.options.brand.id;
    const [low, high] = BigInt(brand) < BigInt(participantId) ? [brand, participantId] : [participantId, brand];
    const event: FakeDmEvent = { id: this.nextId(), event_type: 'MessageCreate', text, sender_id: senderId, dm_conversation_id: `${low}-${high}`, created_at: new Date().toISOString() };
    this.dms.set(participantId, [...(this.dms.get(participantId) ?? []), event]);
    return event;
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    if (this.options.bearerToken) return header === `Bearer ${this.options.bearerToken}`;
    if (this.options.accessToken) return header.startsWith('OAuth ') && header.includes(`oauth_token="${encodeURIComponent(this.options.accessToken)}"`);
    return header !== '';
  }

  private send(res: ServerResponse, status: number, body: unknown, remaining = 899): void {
    this.lastRateLimitReset = Math.floor(Date.now() / 1000) + RATE_WINDOW_S;
    res.writeHead(status, {
      'content-type': status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8',
      'x-rate-limit-limit': '900',
      'x-rate-limit-remaining': String(remaining),
      'x-rate-limit-reset': String(this.lastRateLimitReset),
    });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x.invalid');
    const path = url.pathname.replace(/^\/2(?=\/)/, '');
    const recorded: RecordedXRequest = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value])),
      body: raw ? (JSON.parse(raw) as unknown) : undefined,
    };
    this.requests.push(recorded);

    const failure = this.failures.shift();
    if (failure === 'rate_limit') return this.send(res, 429, problem(429, 'Too Many Requests', 'Too Many Requests'), 0);
    if (failure === 'unavailable') return this.send(res, 503, problem(503, 'Service Unavailable', 'Service Unavailable'));
    const media = req.method === 'GET' ? this.media.get(url.pathname) : undefined;
    if (media && failure === undefined) return this.sendMedia(req, res, url, media);
    if (failure === 'unauthorized' || !this.authorized(req)) return this.send(res, 401, problem(401, 'Unauthorized', 'Unauthorized'));
    if (failure === 'forbidden') {
      return this.send(res, 403, problem(403, 'Forbidden', 'You are not permitted to perform this action.', 'https://api.twitter.com/2/problems/not-authorized-for-resource'));
    }
    const answer = this.route(recorded);
    const hold = this.holds.shift();
    if (hold) {
      hold.carriedOut(recorded);
      await hold.released;
    }
    if (failure === 'drop') {
      req.socket.destroy();
      return;
    }
    this.send(res, answer.status, answer.body);
  }

  private route(request: RecordedXRequest): { status: number; body: unknown } {
    const { method, path, query } = request;
    const brand = this.options.brand;
    if (method === 'GET' && path === '/users/me') return { status: 200, body: { data: { id: brand.id, name: brand.name, username: brand.username } } };
    if (method === 'POST' && path === '/tweets') return this.createTweet(request.body as { text?: string; reply?: { in_reply_to_tweet_id?: string } });

    const dmMessages = /^\/dm_conversations\/with\/(\d+)\/messages$/.exec(path);
    if (method === 'POST' && dmMessages) {
      const participant = dmMessages[1]!;
      const { text } = (request.body ?? {}) as { text?: string };
      if (!text) return { status: 400, body: problem(400, 'Invalid Request', 'One or more parameters to your request was invalid.', 'https://api.twitter.com/2/problems/invalid-request') };
      if (this.dmsClosed.has(participant) || !this.users.has(participant)) {
        return { status: 403, body: problem(403, 'Forbidden', 'You cannot send messages to this user.', 'https://api.twitter.com/2/problems/not-authorized-for-resource') };
      }
      const event = this.storeDm(participant, brand.id, text);
      return { status: 201, body: { data: { dm_conversation_id: event.dm_conversation_id, dm_event_id: event.id } } };
    }
    const dmEvents = /^\/dm_conversations\/with\/(\d+)\/dm_events$/.exec(path);
    if (method === 'GET' && dmEvents) {
      const events = [...(this.dms.get(dmEvents[1]!) ?? [])].reverse();
      return { status: 200, body: events.length > 0 ? { data: events, meta: { result_count: events.length } } : { meta: { result_count: 0 } } };
    }

    const mentions = /^\/users\/(\d+)\/mentions$/.exec(path);
    if (method === 'GET' && mentions) {
      const handle = `@${this.users.get(mentions[1]!)?.username ?? ''}`.toLowerCase();
      const found = [...this.tweets.values()].filter((tweet) => !this.searchOnly.has(tweet.id) && tweet.author_id !== mentions[1] && tweet.text.toLowerCase().includes(handle));
      return this.page(found, query, query.pagination_token);
    }
    if (method === 'GET' && path === '/tweets/search/recent') {
      if (!query.query) return { status: 400, body: problem(400, 'Invalid Request', 'The `query` query parameter can not be empty', 'https://api.twitter.com/2/problems/invalid-request') };
      const terms = query.query.toLowerCase().split(/\s+/).filter((term) => term && !term.includes(':') && !term.startsWith('-'));
      const found = [...this.tweets.values()].filter((tweet) => tweet.author_id !== brand.id && terms.every((term) => tweet.text.toLowerCase().includes(term)));
      return this.page(found, query, query.next_token);
    }
    const userTweets = /^\/users\/(\d+)\/tweets$/.exec(path);
    if (method === 'GET' && userTweets) {
      const own = [...this.tweets.values()].filter((tweet) => tweet.author_id === userTweets[1]).reverse();
      return { status: 200, body: own.length > 0 ? { data: own, meta: { result_count: own.length, newest_id: own[0]!.id, oldest_id: own[own.length - 1]!.id } } : { meta: { result_count: 0 } } };
    }
    return { status: 404, body: problem(404, 'Not Found Error', `No route matches ${method} /2${path}`, 'https://api.twitter.com/2/problems/resource-not-found') };
  }

  private createTweet(body: { text?: string; reply?: { in_reply_to_tweet_id?: string } } | undefined): { status: number; body: unknown } {
    const brand = this.options.brand;
    const text = body?.text;
    if (!text) return { status: 400, body: problem(400, 'Invalid Request', 'One or more parameters to your request was invalid.', 'https://api.twitter.com/2/problems/invalid-request') };
    const parentId = body.reply?.in_reply_to_tweet_id;
    if (parentId && (this.deleted.has(parentId) || !this.tweets.has(parentId))) {
      return { status: 403, body: problem(403, 'Forbidden', 'You attempted to reply to a Tweet that is deleted or not visible to you.') };
    }
    if (this.posted().some((tweet) => tweet.text === text)) {
      return { status: 403, body: problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.') };
    }
    const id = this.nextId();
    const parent = parentId ? this.tweets.get(parentId) : undefined;
    this.tweets.set(id, {
      id,
      text: text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
      author_id: brand.id,
      conversation_id: parent?.conversation_id ?? id,
      created_at: new Date().toISOString(),
      ...(parent ? { in_reply_to_user_id: parent.author_id, referenced_tweets: [{ type: 'replied_to', id: parent.id }] } : {}),
    });
    return { status: 201, body: { data: { id, text, edit_history_tweet_ids: [id] } } };
  }

  /** Newest first, after since_id, paged by an opaque token, with the includes X expands. */
  private page(tweets: FakeTweet[], query: Record<string, string>, token: string | undefined): { status: number; body: unknown } {
    const since = query.since_id ? BigInt(query.since_id) : 0n;
    const sorted = tweets.filter((tweet) => BigInt(tweet.id) > since).sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
    const size = Math.min(Number(query.max_results ?? 10), this.options.pageSize ?? 100);
    const slice = sorted.slice(offset, offset + size);
    if (slice.length === 0) return { status: 200, body: { meta: { result_count: 0 } } };
    const authors = [...new Set(slice.map((tweet) => tweet.author_id))].map((id) => this.users.get(id)).filter((user): user is FakeXUser => Boolean(user));
    const more = offset + size < sorted.length;
    return {
      status: 200,
      body: {
        data: slice,
        includes: {
          users: authors.map((user) => ({
            id: user.id,
            name: user.name,
            username: user.username,
            verified: user.verified ?? false,
            public_metrics: { followers_count: user.followers ?? 0, following_count: 0, tweet_count: 0, listed_count: 0 },
          })),
        },
        meta: {
          newest_id: slice[0]!.id,
          oldest_id: slice[slice.length - 1]!.id,
          result_count: slice.length,
          ...(more ? { next_token: Buffer.from(String(offset + size)).toString('base64url') } : {}),
        },
      },
    };
  }
}
