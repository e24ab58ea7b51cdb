import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Meta's Graph API, answering the endpoints Parley's Facebook and
 * Instagram connectors call as Graph documents them: ids, error bodies
 * ({"error":{message,type,code,error_subcode,fbtrace_id}}), and the
 * X-Business-Use-Case-Usage / X-App-Usage headers of a throttled call. It records every
 * request and can be told to fail the next requests in the ways Graph fails.
 */

export interface RecordedRequest {
  method: string;
  /** The path after the version prefix, e.g. "/me/messages". */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export type ScriptedFailure =
  /** 429, code 80001, with X-Business-Use-Case-Usage naming the minutes until access returns. */
  | 'rate_limit'
  /** 500, code 2, is_transient. */
  | 'server_error'
  /** 503, code 2, is_transient: Graph is briefly unavailable. */
  | 'service_unavailable'
  /** 400, code 190 subcode 463: the token expired. */
  | 'token_expired'
  /** 400, code 551: the person is not available. */
  | 'unavailable'
  /** 400, code 10 subcode 2018278: outside the messaging window. */
  | 'window'
  /** The request is carried out, then the connection is dropped before any answer. */
  | 'drop';

export interface FakeMetaOptions {
  pageId: string;
  pageName?: string;
  pageToken: string;
  igId?: string;
  igUsername?: string;
  igToken?: string;
  /** When set, requests must carry a matching appsecret_proof. */
  appSecret?: string;
}

interface StoredComment {
  id: string;
  message: string;
  from: { id: string; name?: string; username?: string };
  created_time: string;
}

/** A comment on someone else's media that @mentions the Instagram account (mentioned_comment). */
export interface FakeMentionedComment {
  id: string;
  text: string;
  timestamp: string;
  username: string;
  /** The commenter's Instagram-scoped id and username. */
  from: { id: string; username: string };
  media: { id: string; permalink: string };
}

/** Someone else's media whose caption @mentions the Instagram account (mentioned_media). */
export interface FakeMentionedMedia {
  id: string;
  caption: string;
  username: string;
  timestamp: string;
  permalink: string;
  media_type: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
  media_url: string;
}

interface StoredMessage {
  id: string;
  message: string;
  from: { id: string };
  created_time: string;
  metadata?: string;
}

const graphTime = (date = new Date()) => date.toISOString().replace(/\.\d{3}Z$/, '+0000');
const fbtrace = () => randomBytes(8).toString('base64url');

function graphError(message: string, code: number, extra: Record<string, unknown> = {}) {
  return { error: { message, type: 'OAuthException', code, ...extra, fbtrace_id: fbtrace() } };
}

/** One field of a Graph `fields` list: `name.modifier(arg){subfields}`. */
interface FieldSpec {
  name: string;
  modifiers: Record<string, string>;
  fields?: FieldSpec[];
}

/** Parses Graph's field expansion syntax, e.g. `mentioned_comment.comment_id(1){id,media{id,permalink}}`. */
function parseFields(text: string): FieldSpec[] {
  let at = 0;
  const list = (): FieldSpec[] => {
    const items: FieldSpec[] = [];
    for (;;) {
      const name = /^[A-Za-z_]+/.exec(text.slice(at))?.[0] ?? '';
      at += name.length;
      const modifiers: Record<string, string> = {};
      for (let modifier = /^\.([A-Za-z_]+)\(([^)]*)\)/.exec(text.slice(at)); modifier; modifier = /^\.([A-Za-z_]+)\(([^)]*)\)/.exec(text.slice(at))) {
        modifiers[modifier[1]!] = modifier[2]!;
        at += modifier[0].length;
      }
      let fields: FieldSpec[] | undefined;
      if (text[at] === '{') {
        at += 1;
        fields = list();
        at += 1; // the closing brace
      }
      items.push({ name, modifiers, ...(fields ? { fields } : {}) });
      if (text[at] !== ',') return items;
      at += 1;
    }
  };
  return list();
}

/** Only the fields asked for, as Graph answers: objects without subfields give their id, lists come as {data}. */
function project(source: Record<string, unknown>, fields: FieldSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = source[field.name];
    if (value === undefined) continue;
    const subfields = field.fields ?? [{ name: 'id', modifiers: {} }];
    if (Array.isArray(value)) {
      const limit = Number(field.modifiers.limit ?? 25);
      out[field.name] = { data: (value as Record<string, unknown>[]).slice(0, limit).map((item) => project(item, subfields)) };
    } else if (value && typeof value === 'object') {
      out[field.name] = project(value as Record<string, unknown>, subfields);
    } else {
      out[field.name] = value;
    }
  }
  return out;
}

const unsupported = (method: string, objectId: string) =>
  graphError(
    `Unsupported ${method.toLowerCase()} request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    100,
    { error_subcode: 33 },
  );

export class FakeMetaPlatform {
  readonly requests: RecordedRequest[] = [];
  /** Comments and Instagram replies by the object they answer. */
  readonly comments = new Map<string, StoredComment[]>();
  /** Send API messages by the user they went to (recipient id, or "comment:<id>" for a private reply). */
  readonly conversations = new Map<string, StoredMessage[]>();
  /** Objects deleted on the platform: any call about them answers code 100, subcode 33. */
  readonly deleted = new Set<string>();
  /** Comments that @mention the Instagram account, by comment id (GET /{ig-id}?fields=mentioned_comment…). */
  readonly mentionedComments = new Map<string, FakeMentionedComment>();
  /** Media whose caption @mentions the Instagram account, by media id (GET /{ig-id}?fields=mentioned_media…). */
  readonly mentionedMedia = new Map<string, FakeMentionedMedia>();
  /**
   * What a mentioned_comment lookup does with `from`: answer it, leave it out (the Mentions
   * reference lists only id, like_count, media, text and timestamp), or refuse the field.
   */
  mentionedCommentFrom: 'answered' | 'omitted' | 'refused' = 'answered';
  /** Customers' comments and visitor posts Graph knows, by id: their author, time and Messenger id (for Private Replies). */
  readonly customerComments = new Map<string, { authorId: string; createdAt: Date; messengerId?: string }>();
  /** Comments and posts that have had their one private reply. */
  readonly privateReplied = new Set<string>();
  /** Minutes the throttled answer names in estimated_time_to_regain_access. */
  rateLimitMinutes = 7;
  private mentionLookupFailure: Exclude<ScriptedFailure, 'drop'> | null = null;
  private failures: ScriptedFailure[] = [];
  private sequence = 0;
  private server!: Server;
  private port = 0;

  private constructor(private readonly options: FakeMetaOptions) {}

  static async start(options: FakeMetaOptions): Promise<FakeMetaPlatform> {
    const fake = new FakeMetaPlatform(options);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** What a channel's settings.apiBaseUrl must say to reach this fake. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v21.0`;
  }

  /** The next `count` requests fail this way. */
  failNext(failure: ScriptedFailure, count = 1): void {
    for (let index = 0; index < count; index++) this.failures.push(failure);
  }

  /**
   * A customer's comment or visitor post, as Graph knows it: private replies to it follow its
   * rules, and reach the author under their Messenger id (the same as on the comment unless given).
   */
  addCustomerComment(id: string, authorId: string, createdAt = new Date(), messengerId?: string): void {
    this.customerComments.set(id, { authorId, createdAt, ...(messengerId ? { messengerId } : {}) });
  }

  /** Every mention lookup fails this way until called again with null. */
  failMentionLookups(failure: Exclude<ScriptedFailure, 'drop'> | null): void {
    this.mentionLookupFailure = failure;
  }

  /** The mention lookups received (GET /{ig-id}?fields=mentioned_comment… or mentioned_media…). */
  mentionLookups(): RecordedRequest[] {
    return this.requests.filter((request) => this.isMentionLookup(request.method, request.path, request.query.fields));
  }

  /** Requests that match method and path (a string equal to it, or a pattern). */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && (typeof path === 'string' ? request.path === path : path.test(request.path)));
  }

  reset(): void {
    this.requests.length = 0;
    this.failures = [];
    this.comments.clear();
    this.conversations.clear();
    this.deleted.clear();
    this.mentionedComments.clear();
    this.mentionedMedia.clear();
    this.customerComments.clear();
    this.privateReplied.clear();
    this.mentionedCommentFrom = 'answered';
    this.mentionLookupFailure = null;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private nextId(): string {
    this.sequence += 1;
    return `${Date.now()}${String(this.sequence).padStart(4, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text;
      }
    }
    const path = url.pathname.replace(/^\/v\d+\.\d+/, '') || '/';
    const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
    this.requests.push({ method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), headers, body });

    const send = (status: number, payload: unknown, extraHeaders: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'x-fb-trace-id': fbtrace(), ...extraHeaders });
      res.end(JSON.stringify(payload));
    };

    const failure = this.failures.shift();
    if (failure && failure !== 'drop') return this.fail(failure, send);
    if (this.mentionLookupFailure && this.isMentionLookup(req.method ?? 'GET', path, url.searchParams.get('fields') ?? undefined)) {
      return this.fail(this.mentionLookupFailure, send);
    }

    const answer = this.route(req.method ?? 'GET', path, url.searchParams, headers.authorization, body);
    if (failure === 'drop') {
      // Carried out, never answered: the caller cannot know whether it worked.
      req.socket.destroy();
      return;
    }
    send(answer.status, answer.body);
  }

  private fail(failure: Exclude<ScriptedFailure, 'drop'>, send: (status: number, payload: unknown, headers?: Record<string, string>) => void): void {
    switch (failure) {
      case 'rate_limit':
        send(429, graphError('(#80001) There have been too many calls to this Page account. Wait a bit and try again.', 80001, { error_subcode: 2446079 }), {
          'x-business-use-case-usage': JSON.stringify({
            [this.options.pageId]: [{ type: 'pages', call_count: 100, total_cputime: 41, total_time: 58, estimated_time_to_regain_access: this.rateLimitMinutes }],
          }),
          'x-app-usage': JSON.stringify({ call_count: 100, total_cputime: 12, total_time: 20 }),
        });
        return;
      case 'server_error':
        send(500, graphError('An unexpected error has occurred. Please retry your request later.', 2, { is_transient: true }));
        return;
      case 'service_unavailable':
        send(503, graphError('(#2) Service temporarily unavailable', 2, { is_transient: true }));
        return;
      case 'token_expired':
        send(400, graphError('Error validating access token: Session has expired on Friday, 27-Nov-26 10:00:00 PST.', 190, { error_subcode: 463 }));
        return;
      case 'unavailable':
        send(400, graphError("(#551) This person isn't available right now.", 551, { error_subcode: 1545041 }));
        return;
      case 'window':
        send(400, graphError('(#10) This message is sent outside of allowed window.', 10, { error_subcode: 2018278 }));
        return;
    }
  }

  private isMentionLookup(method: string, path: string, fields: string | undefined): boolean {
    return method === 'GET' && path === `/${this.options.igId}` && /(^|,)mentioned_(comment|media)\./.test(fields ?? '');
  }

  /** Instagram's shape of a stored comment, as the replies and comments edges list it. */
  private igComment(comment: StoredComment): Record<string, unknown> {
    return { id: comment.id, text: comment.message, timestamp: comment.created_time, username: comment.from.username, from: comment.from };
  }

  /**
   * GET /{ig-id}?fields=mentioned_comment.comment_id(<id>){…} or mentioned_media.media_id(<id>){…},
   * beside any of the account's own fields (id, username, name).
   */
  private mentionLookup(fields: string): { status: number; body: unknown } {
    const account = { id: this.options.igId, username: this.options.igUsername ?? 'acmeair', name: 'Acme Air' };
    const body: Record<string, unknown> = { id: this.options.igId };
    for (const spec of parseFields(fields)) {
      const asked = spec.fields ?? [{ name: 'id', modifiers: {} }];
      if (spec.name === 'mentioned_comment') {
        const id = spec.modifiers.comment_id ?? '';
        const comment = this.mentionedComments.get(id);
        if (!comment || this.deleted.has(id)) return { status: 400, body: unsupported('GET', id) };
        if (this.mentionedCommentFrom === 'refused' && asked.some((field) => field.name === 'from')) {
          return { status: 400, body: graphError('(#100) Tried accessing nonexisting field (from) on node type (ShadowIGComment)', 100) };
        }
        const { from, ...rest } = comment;
        const source = { ...rest, ...(this.mentionedCommentFrom === 'answered' ? { from } : {}), replies: (this.comments.get(id) ?? []).map((reply) => this.igComment(reply)) };
        body.mentioned_comment = project(source, asked);
      } else if (spec.name === 'mentioned_media') {
        const id = spec.modifiers.media_id ?? '';
        const media = this.mentionedMedia.get(id);
        if (!media || this.deleted.has(id)) return { status: 400, body: unsupported('GET', id) };
        body.mentioned_media = project({ ...media, comments: (this.comments.get(id) ?? []).map((comment) => this.igComment(comment)) }, asked);
      } else if (spec.name in account) {
        body[spec.name] = account[spec.name as keyof typeof account];
      } else {
        return { status: 400, body: graphError(`(#100) Tried accessing nonexisting field (${spec.name}) on node type (IGUser)`, 100) };
      }
    }
    return { status: 200, body };
  }

  /** POST /{ig-id}/mentions: the account's comment on a caption or comment that mentions it. */
  private replyToMention(query: URLSearchParams, payload: Record<string, unknown>): { status: number; body: unknown } {
    // Graph takes the parameters in the query string or the body.
    const param = (name: string): string | undefined => {
      const value = payload[name];
      return typeof value === 'string' ? value : (query.get(name) ?? undefined);
    };
    const mediaId = param('media_id');
    const commentId = param('comment_id');
    const message = param('message');
    if (!mediaId) return { status: 400, body: graphError('(#100) The parameter media_id is required', 100) };
    if (!message) return { status: 400, body: graphError('(#100) The parameter message is required', 100) };
    const target = commentId ?? mediaId;
    const known = commentId ? this.mentionedComments.get(commentId)?.media.id === mediaId : this.mentionedMedia.has(mediaId);
    if (!known || this.deleted.has(target)) return { status: 400, body: unsupported('POST', target) };
    const id = this.nextId();
    const list = this.comments.get(target) ?? [];
    list.push({ id, message, from: { id: this.options.igId ?? '', username: this.options.igUsername ?? 'acmeair' }, created_time: graphTime() });
    this.comments.set(target, list);
    return { status: 200, body: { id } };
  }

  /** Who the bearer token belongs to: the Page or the Instagram account. */
  private accountOf(authorization: string | undefined): { id: string; kind: 'page' | 'instagram' } | null {
    const token = authorization?.replace(/^Bearer\s+/i, '');
    if (token && token === this.options.pageToken) return { id: this.options.pageId, kind: 'page' };
    if (token && this.options.igToken && token === this.options.igToken && this.options.igId) return { id: this.options.igId, kind: 'instagram' };
    return null;
  }

  private route(method: string, path: string, query: URLSearchParams, authorization: string | undefined, body: unknown): { status: number; body: unknown } {
    const account = this.accountOf(authorization);
    if (!account) return { status: 400, body: graphError('Invalid OAuth access token - Cannot parse access token', 190) };
    if (this.options.appSecret) {
      const expected = createHmac('sha256', this.options.appSecret).update(authorization!.replace(/^Bearer\s+/i, '')).digest('hex');
      if (query.get('appsecret_proof') !== expected) return { status: 400, body: graphError('Invalid appsecret_proof provided in the API argument', 100) };
    }
    const segments = path.split('/').filter(Boolean);
    const [objectId, edge] = segments;
    const payload = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    if (objectId && this.deleted.has(objectId)) return { status: 400, body: unsupported(method, objectId) };

    if (method === 'GET' && objectId === 'me' && !edge) {
      return account.kind === 'page'
        ? { status: 200, body: { id: this.options.pageId, name: this.options.pageName ?? 'Acme Air' } }
        : { status: 200, body: { id: this.options.igId, username: this.options.igUsername ?? 'acmeair', name: 'Acme Air' } };
    }
    if (this.isMentionLookup(method, path, query.get('fields') ?? undefined)) return this.mentionLookup(query.get('fields') ?? '');
    if (method === 'POST' && objectId && objectId === this.options.igId && edge === 'mentions') return this.replyToMention(query, payload);
    if (method === 'GET' && objectId && !edge && objectId === this.options.igId) {
      return { status: 200, body: { id: this.options.igId, username: this.options.igUsername ?? 'acmeair', name: 'Acme Air' } };
    }
    if (objectId && (edge === 'comments' || edge === 'replies')) {
      if (method === 'POST') {
        if (typeof payload.message !== 'string' || payload.message === '') {
          return { status: 400, body: graphError('(#100) The parameter message is required', 100) };
        }
        const suffix = this.nextId();
        const id = account.kind === 'page' ? `${objectId.split('_').pop() ?? objectId}_${suffix}` : suffix;
        const from = account.kind === 'page' ? { id: account.id, name: this.options.pageName ?? 'Acme Air' } : { id: account.id, username: this.options.igUsername ?? 'acmeair' };
        const list = this.comments.get(objectId) ?? [];
        list.push({ id, message: payload.message, from, created_time: graphTime() });
        this.comments.set(objectId, list);
        return { status: 200, body: { id } };
      }
      const list = [...(this.comments.get(objectId) ?? [])];
      if (query.get('order') === 'reverse_chronological' || edge === 'replies') list.reverse();
      const data = list.map((comment) =>
        account.kind === 'page' ? comment : { id: comment.id, text: comment.message, from: comment.from, timestamp: comment.created_time },
      );
      return { status: 200, body: { data, paging: { cursors: { before: 'QVFI', after: 'QVFJ' } } } };
    }
    if (method === 'POST' && objectId && edge === 'messages') {
      const recipient = (payload.recipient ?? {}) as Record<string, unknown>;
      const message = (payload.message ?? {}) as Record<string, unknown>;
      // A private reply names the comment or visitor post it answers.
      const repliedTo = typeof recipient.comment_id === 'string' ? recipient.comment_id : typeof recipient.post_id === 'string' ? recipient.post_id : undefined;
      const to = typeof recipient.id === 'string' ? recipient.id : repliedTo ? `comment:${repliedTo}` : undefined;
      if (!to) return { status: 400, body: graphError('(#100) The parameter recipient is required', 100) };
      if (typeof message.text !== 'string') return { status: 400, body: graphError('(#100) The parameter message is required', 100) };
      if (payload.messaging_type === 'MESSAGE_TAG' && typeof payload.tag !== 'string') {
        return { status: 400, body: graphError('(#100) Tag is required for MESSAGE_TAG messaging type.', 100) };
      }
      const original = repliedTo ? this.customerComments.get(repliedTo) : undefined;
      if (repliedTo) {
        // Private Replies: one per comment or post, within 7 days of it, never to one that is gone.
        if (this.deleted.has(repliedTo)) return { status: 400, body: unsupported(method, repliedTo) };
        if (this.privateReplied.has(repliedTo)) return { status: 400, body: graphError('(#10900) Activity already replied to', 10900) };
        if (original && Date.now() - original.createdAt.getTime() > 7 * 24 * 3_600_000) {
          return { status: 400, body: graphError('(#10) This message is sent outside of allowed window.', 10, { error_subcode: 2018278 }) };
        }
        this.privateReplied.add(repliedTo);
      }
      const id = account.kind === 'page' ? `m_${randomBytes(12).toString('base64url')}` : `aWdfZA${randomBytes(18).toString('base64url')}`;
      const sent = { id, message: message.text, from: { id: account.id }, created_time: graphTime(), ...(typeof message.metadata === 'string' ? { metadata: message.metadata } : {}) };
      // The private reply opens the conversation with its author: the Conversations API lists it there.
      const reached = original ? (original.messengerId ?? original.authorId) : undefined;
      for (const key of [to, ...(reached ? [reached] : [])]) this.conversations.set(key, [...(this.conversations.get(key) ?? []), sent]);
      return { status: 200, body: { recipient_id: reached ?? (to.startsWith('comment:') ? `${this.nextId()}` : to), message_id: id } };
    }
    if (method === 'GET' && objectId && edge === 'conversations') {
      const userId = query.get('user_id');
      const list = userId ? this.conversations.get(userId) : undefined;
      if (!list) return { status: 200, body: { data: [] } };
      const messages = [...list].reverse().map(({ metadata: _metadata, ...rest }) => rest);
      return { status: 200, body: { data: [{ id: `t_${userId}`, messages: { data: messages } }] } };
    }
    return { status: 400, body: unsupported(method, objectId ?? '') };
  }
}
