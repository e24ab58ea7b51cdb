import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { ConnectorKind, InboundEvent } from '@parley/common';
import type { Credentials } from '../channels/credentials';

/** A channel as a connector sees it: ids, settings and decrypted credentials. */
export interface ChannelContext {
  id: string;
  kind: ConnectorKind;
  externalAccountId: string;
  settings: Record<string, unknown>;
  credentials: Credentials;
}

export interface WebhookDelivery {
  rawBody: Buffer;
  headers: Record<string, string | undefined>;
}

export interface HandshakeAnswer {
  status: number;
  contentType: 'application/json' | 'text/plain';
  body: string;
}

/** What a connector made of one delivery body. */
export interface Normalized {
  /** Customer messages, edits, removals, echoes of our own messages and read receipts. */
  events: InboundEvent[];
  /**
   * Platform items recognised and deliberately not turned into events (likes, follows,
   * typing, deliveries, unknown event types), by their platform type name: counted, kept
   * on the raw event, never an error.
   */
  ignored: string[];
  /**
   * Items the delivery only names (an Instagram mention carries just the ids of the comment or
   * media): the worker asks the connector's complete() for each, after normalize.
   */
  lookups?: PendingLookup[];
}

/** Something a delivery names but does not describe, to be looked up on the platform in the worker. */
export interface PendingLookup {
  /** The connector's own name for what to look up (e.g. "instagram.mentioned_comment"). */
  type: string;
  /** The platform ids the lookup needs, as the delivery gave them. */
  ids: Record<string, string>;
  /** When the platform says it happened (ISO time), for an answer that carries no time of its own. */
  notifiedAt: string;
}

/** A reply to send: the ids a platform needs, never a whole document. */
export interface OutboundMessage {
  /** Parley's message id: the idempotency key of this send. */
  messageId: string;
  text: string;
  visibility: 'public' | 'private';
  /** Who wrote it: a person, or the after-hours bot (some platform rules tell them apart). */
  sentBy: 'agent' | 'bot';
  /** The platform id of the message answered, for a public reply in its thread. */
  inReplyToExternalId?: string;
  /**
   * Whether the message answered was public: a private message answering a public comment
   * is a platform "private reply" to that comment where the platform has one.
   */
  inReplyToVisibility?: 'public' | 'private';
  /**
   * The tags the connector gave the message answered (e.g. "mention"): some platforms answer a
   * mention on someone else's post by another route than a comment on the brand's own.
   */
  inReplyToTags?: string[];
  /** The platform conversation (root post, DM conversation) the reply belongs to. */
  threadExternalId?: string;
  /** The customer's id on the platform, for a private message. */
  recipientExternalId?: string;
  /** When the customer last wrote on this channel (messaging windows count from it). */
  lastCustomerMessageAt?: string;
  /** The bot's buttons (title, payload), for a platform that shows them (Connector.quickReplies). */
  quickReplies?: Array<{ title: string; payload: string }>;
}

export interface SendResult {
  /** The platform's id of the message it accepted. */
  externalId: string;
  /**
   * The platform's id of the person it reached, when it names one we did not address by:
   * a Meta private reply goes to a comment, and Meta answers with the commenter's
   * Messenger (page-scoped) id, which their private answers will come from.
   */
  recipientExternalId?: string;
}

export interface ConnectionCheck {
  ok: boolean;
  /** The account the credentials belong to, as the platform names it. */
  account?: { id: string; name?: string; handle?: string };
  /** Why not, in words an admin understands. */
  error?: string;
}

/** One page of polled platform data, stored as a raw event and normalized like a webhook body. */
export interface PollResult {
  bodies: unknown[];
  /** Where the next poll resumes; stored on the channel, so it survives a restart. */
  cursor: Record<string, string>;
}

/** A delivery to several accounts (Meta batches pages): one part per account id. */
export interface DeliveryPart {
  externalAccountId: string;
  body: unknown;
}

/** A payload that passed the signature check but cannot be understood: stored as failed. */
export class MalformedPayload extends Error {}

/**
 * Parses (part of) a platform payload with its zod schema; a failure becomes a
 * MalformedPayload naming the field, with `path` as the prefix of where `value` sits.
 */
export function parsePayload<T extends z.ZodType>(schema: T, value: unknown, path = ''): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = [path, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  throw new MalformedPayload(`${where || 'body'}: ${issue?.message ?? 'invalid'}`);
}

/**
 * Why a send did not succeed, as the outbound job must treat it. Connectors throw these
 * and nothing else for platform answers; anything else counts as transient.
 */
export abstract class DeliveryError extends Error {
  abstract readonly outcome: 'rate_limited' | 'transient' | 'permanent' | 'reauth';
}

/** 429: wait until the platform's reset, then try again; not a failure. */
export class RateLimited extends DeliveryError {
  readonly outcome = 'rate_limited';
  constructor(
    readonly retryAt: Date,
    message = 'The platform asked us to slow down',
  ) {
    super(message);
  }
}

/** 5xx, timeouts, connection errors: retried with exponential backoff and jitter. */
export class TransientFailure extends DeliveryError {
  readonly outcome = 'transient';
}

/** A 4xx that will never succeed (deleted post, blocked user, window closed): fails at once. */
export class PermanentFailure extends DeliveryError {
  readonly outcome = 'permanent';
}

/** The token expired or was revoked: the message fails and the channel needs re-authorisation. */
export class ReauthRequired extends DeliveryError {
  readonly outcome = 'reauth';
}

/** Media a platform hosts (an attachment, an avatar), fetched for the api's media proxy. */
export interface FetchedMedia {
  /** The platform's Content-Type, as sent. */
  contentType: string | undefined;
  /** The size the platform announced, when it did. */
  contentLength: number | undefined;
  /** The bytes; errors with MediaUnavailable ('too_large') past the size cap. */
  body: Readable;
}

/** Why media could not be fetched from a platform, in words an agent understands. */
export class MediaUnavailable extends Error {
  constructor(
    message: string,
    /** refused: we would not fetch that URL; upstream: the platform failed or said no; too_large: over the size cap. */
    readonly reason: 'refused' | 'upstream' | 'too_large',
  ) {
    super(message);
  }
}

/** What Parley knows, without asking the platform, about the public message a move to private answers. */
export interface PrivatePathTarget {
  externalId: string;
  externalThreadId: string | null;
  /** The tags the connector gave it (e.g. "mention"). */
  tags: string[];
  /** When the customer wrote it (the platform's time). */
  sentAt: Date;
  /** Parley has sent, or is sending, a private reply to it already. */
  privateReplyUsed: boolean;
}

/** Why the private path cannot open, known before anything is sent. */
export type PrivatePathRefusal = 'private_reply_used' | 'too_old' | 'not_supported';

export type PrivatePathOpening =
  /** A direct message to the author (needs their id on the platform); or a private reply to the public message itself. */
  | { via: 'direct_message' | 'private_reply' }
  | { refused: PrivatePathRefusal; message: string };

/**
 * How a public conversation moves to a private one on a platform (move-to-private): the
 * private message itself goes out as an ordinary private reply through send(), answering
 * the public message.
 */
export interface PrivatePath {
  /** Whether, and how, the private conversation opens from this public message. Pure: no platform call. */
  opens(target: PrivatePathTarget, now: Date): PrivatePathOpening;
  /** The platform's link for a customer to start a private conversation with the brand, where it has one. */
  messageLink(channel: Pick<ChannelContext, 'externalAccountId' | 'settings'>): string | null;
}

/**
 * Everything Parley knows about one platform. Ingest, tickets and SLA code never name a
 * platform: they call these methods through the typed registry in connectors/index.ts.
 */
export interface Connector {
  readonly kind: ConnectorKind;
  /** Checks the signature of a webhook delivery against the raw body. */
  verify(channel: ChannelContext, delivery: WebhookDelivery): boolean;
  /** Answers the platform's GET handshake (CRC, hub.challenge). */
  handshake(channel: ChannelContext, query: Record<string, string | undefined>): HandshakeAnswer;
  /**
   * Splits a delivery that carries updates for several accounts; parts for other accounts
   * go to the channels of this kind (or a sibling kind) that share the signing secret.
   */
  split?(channel: ChannelContext, body: unknown): DeliveryPart[];
  /** Turns one delivery body into events; throws MalformedPayload for nonsense. Pure: no platform calls. */
  normalize(channel: ChannelContext, body: unknown): Normalized;
  /**
   * Looks up, in the worker, one item normalize could only name (Normalized.lookups) and answers
   * the event it is. Throws a DeliveryError: transient and rate-limit failures are retried with
   * the queue's backoff, permanent ones fail the raw event at once with the reason.
   */
  complete?(channel: ChannelContext, lookup: PendingLookup): Promise<InboundEvent>;
  /** Sends a reply. Throws a DeliveryError subclass for what the platform answered. */
  send(channel: ChannelContext, message: OutboundMessage): Promise<SendResult>;
  /**
   * After an attempt whose outcome is unknown (the platform may have accepted it before the
   * connection broke), looks for the message on the platform so it is never sent twice.
   * Connectors without it must make send itself idempotent on messageId.
   */
  findSent?(channel: ChannelContext, message: OutboundMessage): Promise<SendResult | null>;
  /** The platform's "who am I" for these credentials (POST /api/channels/:id/test). */
  testConnection(channel: ChannelContext): Promise<ConnectionCheck>;
  /**
   * Fetches media the platform sent (attachment or avatar URLs it gave us), with whatever
   * the platform needs (X: the channel's OAuth 1.0a user context), for the api to stream to
   * the agent. Connectors without it are fetched plainly (public addresses only).
   * Throws MediaUnavailable.
   */
  fetchMedia?(channel: ChannelContext, url: string): Promise<FetchedMedia>;
  /** Fetches what arrived since the cursor, for accounts without webhooks. */
  poll?(channel: ChannelContext, cursor: Record<string, string> | undefined): Promise<PollResult>;
  /** How a public conversation moves to a private one here; platforms without a private path lack it. */
  privatePath?: PrivatePath;
  /**
   * Where the platform shows a message's quick-reply buttons, whose payload comes back on the
   * customer's answer as a `quick_reply:<payload>` or `postback:<payload>` tag. Absent: nowhere
   * (the bot says the words to type instead).
   */
  quickReplies?: { public: boolean; private: boolean };
}
